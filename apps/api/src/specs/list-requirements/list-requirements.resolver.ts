import { QueryBus } from '@nestjs/cqrs';
import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { RequirementCategory } from '../../graphql/generated/schema-types';
import { graphqlError } from '../../graphql/request-context';
import { categoryOfEnum, type SpecVersionView } from '../spec.view';
import { ListRequirementsQuery, type RequirementPage } from './list-requirements.query';

/** SpecVersion.requirements: the parent query has checked spec.read. */
@Resolver('SpecVersion')
export class ListRequirementsResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('requirements')
  async requirements(
    @Parent() version: SpecVersionView,
    @Args('search') search: string | null,
    @Args('category') category: RequirementCategory | null,
    @Args('first') first: number,
    @Args('after') after: string | null,
  ): Promise<RequirementPage> {
    const result = await this.queries.execute<ListRequirementsQuery, RequirementPage | DomainError>(
      new ListRequirementsQuery(
        version.specId,
        version.version,
        { search: search ?? null, category: category ? categoryOfEnum(category) : null },
        first ?? 50,
        after ?? null,
      ),
    );
    if (result instanceof DomainError) throw graphqlError(result.code, result.message);
    return result;
  }
}
