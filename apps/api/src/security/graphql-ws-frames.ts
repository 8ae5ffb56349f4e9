import type { INestApplication } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';

/**
 * graphql-ws frames: ws accepts messages of up to 100 MB by default and Nest makes the server
 * without options; this bounds them like an HTTP body (a bigger frame closes the socket with
 * 1009). Nest keeps the server at graphQlAdapter._subscriptionService.wss.
 */
export function boundGraphqlWsFrames(app: INestApplication, maxBytes: number): boolean {
  const adapter = app.get(GraphQLModule, { strict: false }).graphQlAdapter as unknown as {
    _subscriptionService?: { wss?: { options?: { maxPayload?: number } } };
  };
  const options = adapter._subscriptionService?.wss?.options;
  if (!options) return false;
  options.maxPayload = maxBytes;
  return true;
}
