// For *.real.test.ts: Oro 6.1's message-queue table as Doctrine creates it on PostgreSQL, so queries are tested against the real shape.
/**
 * oroinc/platform 6.1.6, src/Oro/Component/MessageQueue/Transport/Dbal/DbalSchema.php (addQueueTable), installed as
 * `oro_message_queue` by src/Oro/Bundle/MessageQueueBundle/Migrations/Schema/OroMessageQueueBundleInstaller.php
 * (createDbalQueueTable). Doctrine DBAL's PostgreSQL platform maps the column types: an autoincrement `integer` to
 * SERIAL, `string` to VARCHAR(255), `text` to TEXT, `smallint`, `boolean` and `integer` to themselves; nullable
 * columns get DEFAULT NULL. The index names are Doctrine's generated ones in the real schema; any name works here.
 */
export const ORO_MESSAGE_QUEUE_DDL = `
CREATE TABLE oro_message_queue (
  id SERIAL NOT NULL,
  body TEXT DEFAULT NULL,
  headers TEXT DEFAULT NULL,
  properties TEXT DEFAULT NULL,
  consumer_id VARCHAR(255) DEFAULT NULL,
  redelivered BOOLEAN DEFAULT NULL,
  queue VARCHAR(255) NOT NULL,
  priority SMALLINT NOT NULL,
  delayed_until INT DEFAULT NULL,
  PRIMARY KEY(id)
);
CREATE INDEX idx_oro_mq_consumer_id ON oro_message_queue (consumer_id);
CREATE INDEX idx_oro_mq_queue ON oro_message_queue (queue);
CREATE INDEX idx_oro_mq_priority ON oro_message_queue (priority);
CREATE INDEX idx_oro_mq_delayed_until ON oro_message_queue (delayed_until);
`;
