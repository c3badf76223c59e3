// Settings of the websocket-alias component: nothing to tune, the alias follows the websocket Service.
import { z } from 'zod';

export const websocketAliasSettings = z.strictObject({}).prefault({});
