import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Decider, DomainCommand, DomainEvent } from '@kyogi/domain/shared/decider';
import type { EventStore } from '@kyogi/event-store/port';
import { EVENT_STORE } from '../platform/tokens';
import { decideAndAppend, type CommandOutcome } from './decide-and-append';

export type { CommandOutcome } from './decide-and-append';

/** Any decider's command, for the one generic handler below. */
export class DecideCommand<S = unknown, C extends DomainCommand = DomainCommand, E extends DomainEvent = DomainEvent> {
  constructor(
    readonly decider: Decider<S, C, E>,
    /** The stream's id; the stream is `<decider.category>-<streamId>`. */
    readonly streamId: string,
    readonly command: C,
  ) {}
}

/** The one command handler: every DecideCommand goes through load → decide → append. */
@CommandHandler(DecideCommand)
export class DecideCommandHandler implements ICommandHandler<DecideCommand, CommandOutcome> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ decider, streamId, command }: DecideCommand): Promise<CommandOutcome> {
    return decideAndAppend(this.store, decider, streamId, command);
  }
}
