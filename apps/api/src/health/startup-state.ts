import { Injectable } from '@nestjs/common';

/** What /health/ready waits for, set by main.ts as start-up proceeds. */
@Injectable()
export class StartupState {
  done = false;
  failure: string | undefined;
}
