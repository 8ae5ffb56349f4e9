import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { DEFAULT_SUBSIDY_PERCENT, splitCost } from '@kyogi/domain/talent/cost-split';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { userErrors } from '../../graphql/user-errors';
import type { TalentCostCalculationInput } from '../../graphql/generated/schema-types';
import { splitRuleFromGraphql, toCostTableView, type CostTableView } from '../talent.view';

export interface CostCalculationView {
  readonly costTable: CostTableView | null;
  readonly errors: ReturnType<typeof userErrors>;
}

@Resolver('Query')
export class CalculateTalentCostResolver {
  /**
   * The web client's live calculator: the very split an arrangement would record (splitCost, the
   * decider's own), computed without creating, storing or looking up anything. A refused input is
   * an answer too — `errors` with the field named, as in a mutation payload — so that the client
   * can show it beside the field while the user types.
   */
  @Query('talentCostCalculation')
  talentCostCalculation(@Context() context: RequestContext, @Args('input') input: TalentCostCalculationInput): CostCalculationView {
    requireActor(context, 'talent.read');
    const table = splitCost({
      annualCostYen: input.annualCostYen,
      subsidyPercent: input.subsidyPercent ?? DEFAULT_SUBSIDY_PERCENT,
      splitRule: splitRuleFromGraphql(input.splitRule),
      participants: input.participants.map((p) => ({
        organisationId: p.organisationId,
        population: p.population ?? null,
        daysPerMonth: p.daysPerMonth ?? null,
      })),
    });
    return table instanceof DomainError ? { costTable: null, errors: userErrors(table) } : { costTable: toCostTableView(table), errors: [] };
  }
}
