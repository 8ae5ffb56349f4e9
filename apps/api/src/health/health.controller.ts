import { Controller, Get, HttpCode, HttpException, Inject } from '@nestjs/common';
import { formatPosition } from '@kyogi/event-store/port';
import { PLATFORM } from '../platform/tokens';
import type { Platform } from '../platform/platform';
import { StartupState } from './startup-state';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    private readonly startup: StartupState,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /**
   * Ready for traffic: the store answers, the start-up work (demo seed) is done, and the
   * projections have caught up to the head as it stood when they started.
   */
  @Get('ready')
  async ready() {
    const checks: Record<string, string> = {};
    let ok = true;
    try {
      await this.platform.store.headPosition();
      checks.eventStore = 'ok';
    } catch (error) {
      ok = false;
      checks.eventStore = `unreachable: ${(error as Error).message}`;
    }
    checks.startup = this.startup.done ? 'ok' : this.startup.failure ? `failed: ${this.startup.failure}` : 'running';
    ok &&= this.startup.done;
    if (this.platform.runsProjections) {
      const { projector } = this.platform;
      checks.projections = !projector.healthy ? 'failing' : projector.isCaughtUp ? 'caught up' : 'catching up';
      ok &&= projector.isCaughtUp && projector.healthy;
    } else {
      checks.projections = this.platform.config.runProjections ? 'standby (another instance holds the lease)' : 'not run here';
    }
    const body = { status: ok ? 'ready' : 'not ready', checks, readModelPosition: formatPosition(this.platform.projector.currentPosition) };
    if (!ok) throw new HttpException(body, 503);
    return body;
  }
}
