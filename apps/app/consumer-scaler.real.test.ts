// The ScaledObject's queue-depth query run on a real PostgreSQL 17 against Oro 6.1's real oro_message_queue definition.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ORO_MESSAGE_QUEUE_DDL } from '../../scripts/lib/restore/oro-queue-table.ts';
import { startPostgres, type Postgres } from '../../scripts/lib/restore/real-servers.ts';
import { QUEUE_DEPTH_QUERY } from './consumer-scaler.ts';

let pg: Postgres;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(() => pg?.stop());
beforeEach(() => {
  pg.sql('DROP TABLE IF EXISTS oro_message_queue');
  pg.sql(ORO_MESSAGE_QUEUE_DDL);
});

const insert = (rows: { consumer?: string; delayedBy?: number }[]) =>
  rows.forEach(({ consumer, delayedBy }) =>
    pg.sql(
      `INSERT INTO oro_message_queue (body, headers, properties, queue, priority, consumer_id, delayed_until) VALUES ('{}', '{}', '{}', 'oro.default', 2, ${consumer ? `'${consumer}'` : 'NULL'}, ${delayedBy === undefined ? 'NULL' : `extract(epoch FROM now())::int + ${delayedBy}`})`,
    ),
  );

describe('the queue-depth query', () => {
  it('is 0 on an empty queue', () => {
    expect(pg.sql(QUEUE_DEPTH_QUERY)).toBe('0');
  });

  it('counts the messages a consumer could take now: not the ones being processed, not the ones delayed into the future', () => {
    insert([{}, {}, {}, { consumer: 'c-1' }, { consumer: 'c-2' }, { delayedBy: 3600 }, { delayedBy: -60 }]);
    expect(pg.sql(QUEUE_DEPTH_QUERY)).toBe('4');
  });

  it('returns a single integer, as the scaler requires', () => {
    insert(Array.from({ length: 250 }, () => ({})));
    expect(pg.sql(QUEUE_DEPTH_QUERY)).toMatch(/^250$/);
  });
});
