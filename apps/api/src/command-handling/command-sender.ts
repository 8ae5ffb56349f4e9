import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Decider, DomainCommand, DomainEvent } from '@kyogi/domain/shared/decider';
import { CLOCK, type Clock } from '../platform/tokens';
import { DecideCommand, type CommandOutcome } from './decide.command';
import type { MutationRunner } from './mutation-runner';

/** The app's MutationRunner: every command through the CommandBus to the one DecideCommandHandler, time from the platform's clock. */
@Injectable()
export class CommandSender implements MutationRunner {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) readonly clock: Clock,
  ) {}

  send<S, C extends DomainCommand, E extends DomainEvent>(decider: Decider<S, C, E>, streamId: string, command: C): Promise<CommandOutcome> {
    return this.commands.execute<DecideCommand<S, C, E>, CommandOutcome>(new DecideCommand(decider, streamId, command));
  }
}
