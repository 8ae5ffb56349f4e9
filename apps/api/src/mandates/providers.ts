import type { Provider } from '@nestjs/common';
import { GetMandateHandler, ListMandatesHandler } from './list-mandates/list-mandates.query';
import { ListMandatesResolver } from './list-mandates/list-mandates.resolver';
import { GrantMandateResolver } from './grant-mandate/grant-mandate.resolver';
import { RevokeMandateResolver } from './revoke-mandate/revoke-mandate.resolver';
import { MANDATE_PAYLOAD_RESOLVERS } from './payloads';

/** Everything the mandates context adds to the app module. */
export const MANDATE_PROVIDERS: readonly Provider[] = [
  ListMandatesHandler,
  GetMandateHandler,
  ListMandatesResolver,
  GrantMandateResolver,
  RevokeMandateResolver,
  ...MANDATE_PAYLOAD_RESOLVERS,
];
