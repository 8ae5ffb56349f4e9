import type { Logger, Provider } from '@nestjs/common';
import type { Platform } from '../platform/platform';
import { SecurityLog } from './security-log';
import { securityLogPlugin } from './refusal-plugin';
import { SecurityRefusalsResolver } from './security-log.resolver';
import { SECURITY_LOG } from './tokens';

/** The security log, its Apollo plugin (every FORBIDDEN answer recorded) and its query. */
export function securityLogModule(platform: Platform, logger: Pick<Logger, 'warn'>) {
  const securityLog = new SecurityLog(platform.pool, (message) => logger.warn(message));
  const providers: Provider[] = [{ provide: SECURITY_LOG, useValue: securityLog }, SecurityRefusalsResolver];
  return { securityLog, plugin: securityLogPlugin(securityLog, platform.clock), providers };
}
