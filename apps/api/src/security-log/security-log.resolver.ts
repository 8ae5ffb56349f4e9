import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { graphqlError, requireActor, type RequestContext } from '../graphql/request-context';
import { SECURITY_LOG } from './tokens';
import type { SecurityLog, SecurityLogPage } from './security-log';

@Resolver('Query')
export class SecurityRefusalsResolver {
  constructor(@Inject(SECURITY_LOG) private readonly securityLog: SecurityLog) {}

  @Query('securityRefusals')
  async securityRefusals(
    @Context() context: RequestContext,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('organisationId') organisationId: string | null,
  ): Promise<SecurityLogPage> {
    requireActor(context, 'security.readLog');
    const count = first ?? 50;
    if (!Number.isInteger(count) || count < 1 || count > 200) throw graphqlError('BAD_USER_INPUT', 'first: from 1 to 200');
    if (after != null && !/^[1-9][0-9]{0,18}$/.test(after)) throw graphqlError('BAD_USER_INPUT', 'after: an endCursor of an earlier page');
    await this.securityLog.flush(); // what was refused a moment ago is listed
    return this.securityLog.list({ first: count, after, organisationId });
  }
}
