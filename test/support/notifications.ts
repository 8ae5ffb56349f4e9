import { Client } from 'pg';

/** The payloads of a PostgreSQL channel's notifications, in arrival order, until `stop`. */
export async function listenTo(connectionString: string, channel: string): Promise<{ readonly payloads: string[]; stop(): Promise<void> }> {
  const listener = new Client({ connectionString });
  await listener.connect();
  const payloads: string[] = [];
  listener.on('notification', (message) => payloads.push(message.payload ?? ''));
  await listener.query(`LISTEN ${channel}`);
  return { payloads, stop: () => listener.end() };
}
