import { Controller, Get, Header, Inject } from '@nestjs/common';
import { checkpointKeySet, CHECKPOINT_KEYS_WELL_KNOWN_PATH, type CheckpointKeySet } from '@kyogi/audit/keys';
import { PLATFORM } from '../../platform/tokens';
import type { Platform } from '../../platform/platform';

/** The checkpoint keys, current and retired, for anyone to verify checkpoints with (no sign-in: they are public keys). */
@Controller()
export class CheckpointKeysController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get(CHECKPOINT_KEYS_WELL_KNOWN_PATH)
  @Header('Cache-Control', 'public, max-age=300')
  async keys(): Promise<CheckpointKeySet> {
    return checkpointKeySet(await this.platform.checkpoints.keys());
  }
}
