/**
 * The live cost calculator: change the rule, the annual cost, the subsidy, the participants and
 * their population or allotted days, and every town's share before and after the subsidy
 * (特別交付税) follows — computed by the API (talentCostCalculation, the same function an
 * arrangement's terms use, exact integer arithmetic), never by the browser. Requests are debounced
 * and only the answer to the latest inputs is shown; a refused input is shown with its field.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { gql, type UserError } from '../../api/graphql';
import { ErrorMessage, UserErrorList } from '../../components/status';
import { COST_TABLE_FIELDS, SPLIT_RULES, formatYen, type CostTableNode, type SplitRule } from './talent-types';

export interface CalculatorParticipant {
  organisationId: string;
  name: string;
  population: string;
  daysPerMonth: string;
}

export interface CalculatorInputs {
  annualCostYen: string;
  subsidyPercent: string;
  splitRule: SplitRule;
  participants: CalculatorParticipant[];
}

const CALCULATE = `query CostCalculation($input: TalentCostCalculationInput!) {
  talentCostCalculation(input: $input) { costTable { ${COST_TABLE_FIELDS} } errors { code message field } }
}`;
const SEARCH = `query ParticipantSearch($q: String!) {
  organisations(search: $q, first: 10) { edges { node { id name kind population prefecture { name } } } }
}`;

type SearchHit = { id: string; name: string; kind: string; population: number | null; prefecture: { name: string } | null };

/** The API's input from the form, or the first field that is not a number where one is needed (named like the API names it). */
export function calculationInput(inputs: CalculatorInputs): { input: Record<string, unknown> } | { error: UserError } {
  const whole = (text: string) => (text.trim() === '' ? null : Number(text));
  const annual = whole(inputs.annualCostYen);
  if (annual === null || !Number.isFinite(annual)) return { error: { code: 'NOT_A_NUMBER', field: 'annualCostYen', message: 'annualCostYen' } };
  const subsidy = whole(inputs.subsidyPercent);
  if (subsidy !== null && !Number.isInteger(subsidy)) return { error: { code: 'NOT_A_NUMBER', field: 'subsidyPercent', message: 'subsidyPercent' } };
  const participants: Record<string, unknown>[] = [];
  for (const [i, p] of inputs.participants.entries()) {
    const population = whole(p.population);
    const days = whole(p.daysPerMonth);
    if (population !== null && !Number.isInteger(population))
      return { error: { code: 'NOT_A_NUMBER', field: `participants[${i}].population`, message: `participants[${i}].population` } };
    if (days !== null && !Number.isInteger(days))
      return { error: { code: 'NOT_A_NUMBER', field: `participants[${i}].daysPerMonth`, message: `participants[${i}].daysPerMonth` } };
    participants.push({ organisationId: p.organisationId, population, daysPerMonth: days });
  }
  return { input: { annualCostYen: annual, splitRule: inputs.splitRule, subsidyPercent: subsidy, participants } };
}

function ParticipantSearch({ onAdd, exclude }: { onAdd: (hit: SearchHit) => void; exclude: ReadonlySet<string> }) {
  const { t } = useTranslation('talent');
  const [term, setTerm] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    const q = term.trim();
    if (q.length < 1) {
      setHits([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      gql<{ organisations: { edges: { node: SearchHit }[] } }>(SEARCH, { q })
        .then((data) => {
          if (!live) return;
          setError(null);
          setHits(data.organisations.edges.map((e) => e.node).filter((o) => o.kind === 'MUNICIPALITY' || o.kind === 'PREFECTURE'));
        })
        .catch((e: Error) => live && setError(e));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [term]);
  return (
    <div className="participant-search">
      <label className="field">
        <span>{t('calculator.addParticipant')}</span>
        <input
          type="search"
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          placeholder={t('calculator.searchPlaceholder')}
          data-testid="participant-search"
        />
      </label>
      <ErrorMessage error={error} />
      {hits.length > 0 && (
        <ul className="plain-list search-hits" aria-label={t('calculator.searchResults')}>
          {hits.map((hit) => (
            <li key={hit.id}>
              <button type="button" className="secondary" disabled={exclude.has(hit.id)} onClick={() => onAdd(hit)} data-testid={`add-${hit.id}`}>
                {t('calculator.add', { name: `${hit.prefecture && hit.kind === 'MUNICIPALITY' ? hit.prefecture.name : ''}${hit.name}` })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function CostCalculator({ initial, current }: { initial: CalculatorInputs; current?: CostTableNode | null }) {
  const { t, i18n } = useTranslation('talent');
  const [inputs, setInputs] = useState<CalculatorInputs>(initial);
  const [table, setTable] = useState<CostTableNode | null>(null);
  const [errors, setErrors] = useState<UserError[]>([]);
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const generation = useRef(0);
  const yen = (n: number) => formatYen(n, i18n.language);

  const key = JSON.stringify(inputs);
  useEffect(() => {
    const mine = ++generation.current;
    const parsed = JSON.parse(key) as CalculatorInputs;
    // Nothing to split yet: the participants table says what to do; no alarm before any input.
    if (parsed.participants.length === 0) {
      setBusy(false);
      setTable(null);
      setErrors([]);
      return;
    }
    const built = calculationInput(parsed);
    if ('error' in built) {
      setBusy(false);
      setTable(null);
      setErrors([{ ...built.error, message: t('calculator.notANumber', { field: built.error.field }) }]);
      return;
    }
    setBusy(true);
    const timer = setTimeout(() => {
      gql<{ talentCostCalculation: { costTable: CostTableNode | null; errors: UserError[] } }>(CALCULATE, built)
        .then(({ talentCostCalculation: answer }) => {
          if (mine !== generation.current) return;
          setFailure(null);
          setTable(answer.costTable);
          setErrors(answer.errors);
        })
        .catch((e: Error) => mine === generation.current && setFailure(e))
        .finally(() => mine === generation.current && setBusy(false));
    }, 250);
    return () => clearTimeout(timer);
  }, [key, t]);

  const update = (patch: Partial<CalculatorInputs>) => setInputs((prev) => ({ ...prev, ...patch }));
  const updateParticipant = (index: number, patch: Partial<CalculatorParticipant>) =>
    setInputs((prev) => ({ ...prev, participants: prev.participants.map((p, i) => (i === index ? { ...p, ...patch } : p)) }));
  const move = (index: number, by: -1 | 1) =>
    setInputs((prev) => {
      const list = [...prev.participants];
      const [item] = list.splice(index, 1);
      list.splice(index + by, 0, item);
      return { ...prev, participants: list };
    });
  const currentNet = new Map(current?.shares.map((s) => [s.organisationId, s.netYen]) ?? []);
  const names = new Map(inputs.participants.map((p) => [p.organisationId, p.name]));

  return (
    <div className="calculator" data-testid="cost-calculator">
      <fieldset>
        <legend>{t('calculator.rule')}</legend>
        <div className="rule-choices">
          {SPLIT_RULES.map((rule) => (
            <label key={rule} className="choice">
              <input type="radio" name="split-rule" value={rule} checked={inputs.splitRule === rule} onChange={() => update({ splitRule: rule })} />
              <span>{t(`rule.${rule}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="inline-form">
        <label className="field">
          <span>{t('calculator.annualCost')}</span>
          <input
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            value={inputs.annualCostYen}
            onChange={(e) => update({ annualCostYen: e.target.value })}
            data-testid="annual-cost"
          />
        </label>
        <label className="field">
          <span>{t('calculator.subsidyPercent')}</span>
          <input
            type="number"
            min={0}
            max={100}
            step={1}
            inputMode="numeric"
            value={inputs.subsidyPercent}
            onChange={(e) => update({ subsidyPercent: e.target.value })}
            data-testid="subsidy-percent"
          />
        </label>
      </div>

      <table className="participants-input">
        <caption>{t('calculator.participants')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('calculator.organisation')}</th>
            <th scope="col">{t('calculator.population')}</th>
            <th scope="col">{t('calculator.days')}</th>
            <th scope="col">{t('calculator.order')}</th>
          </tr>
        </thead>
        <tbody>
          {inputs.participants.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {t('calculator.noParticipants')}
              </td>
            </tr>
          )}
          {inputs.participants.map((p, i) => (
            <tr key={p.organisationId} data-testid={`input-row-${p.organisationId}`}>
              <th scope="row">{p.name}</th>
              <td>
                <input
                  type="number"
                  min={1}
                  step={1}
                  inputMode="numeric"
                  aria-label={t('calculator.populationOf', { name: p.name })}
                  value={p.population}
                  onChange={(e) => updateParticipant(i, { population: e.target.value })}
                  data-testid="population"
                />
              </td>
              <td>
                <input
                  type="number"
                  min={0}
                  max={31}
                  step={1}
                  inputMode="numeric"
                  aria-label={t('calculator.daysOf', { name: p.name })}
                  value={p.daysPerMonth}
                  onChange={(e) => updateParticipant(i, { daysPerMonth: e.target.value })}
                  data-testid="days"
                />
              </td>
              <td className="row-actions">
                <button
                  type="button"
                  className="secondary"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={t('calculator.moveUp', { name: p.name })}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="secondary"
                  disabled={i === inputs.participants.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={t('calculator.moveDown', { name: p.name })}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setInputs((prev) => ({ ...prev, participants: prev.participants.filter((_, j) => j !== i) }))}
                  aria-label={t('calculator.remove', { name: p.name })}
                  data-testid={`remove-${p.organisationId}`}
                >
                  {t('calculator.removeShort')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ParticipantSearch
        exclude={new Set(inputs.participants.map((p) => p.organisationId))}
        onAdd={(hit) =>
          setInputs((prev) => ({
            ...prev,
            participants: [
              ...prev.participants,
              { organisationId: hit.id, name: hit.name, population: hit.population === null ? '' : String(hit.population), daysPerMonth: '' },
            ],
          }))
        }
      />

      <h3 id="calc-result-title">{t('calculator.result')}</h3>
      <p role="status" aria-live="polite" className="muted" data-testid="calc-status" data-busy={busy ? 'true' : 'false'}>
        {busy ? t('calculator.calculating') : table ? t('calculator.computed') : ''}
      </p>
      <UserErrorList errors={errors} testId="calc-errors" />
      <ErrorMessage error={failure} />
      {table && (
        <table className="cost-table" aria-labelledby="calc-result-title" data-testid="calc-result">
          <thead>
            <tr>
              <th scope="col">{t('calculator.organisation')}</th>
              <th scope="col">{t('calculator.weight')}</th>
              <th scope="col">{t('calculator.share')}</th>
              <th scope="col">{t('calculator.subsidy')}</th>
              <th scope="col">{t('calculator.net')}</th>
              {current && <th scope="col">{t('calculator.vsCurrent')}</th>}
            </tr>
          </thead>
          <tbody>
            {table.shares.map((s) => {
              const before = currentNet.get(s.organisationId);
              return (
                <tr key={s.organisationId} data-testid={`calc-row-${s.organisationId}`}>
                  <th scope="row">{s.organisation?.name ?? names.get(s.organisationId) ?? s.organisationId}</th>
                  <td className="number" data-testid="weight" data-value={s.weight}>
                    {s.weight.toLocaleString('ja-JP')}
                  </td>
                  <td className="number" data-testid="share" data-yen={s.shareYen}>
                    {yen(s.shareYen)}
                  </td>
                  <td className="number" data-testid="subsidy" data-yen={s.subsidyYen}>
                    {yen(s.subsidyYen)}
                  </td>
                  <td className="number" data-testid="net" data-yen={s.netYen}>
                    {yen(s.netYen)}
                  </td>
                  {current && (
                    <td className="number">
                      {before === undefined ? t('calculator.newParticipant') : `${s.netYen - before >= 0 ? '+' : '−'}${yen(Math.abs(s.netYen - before))}`}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('calculator.total')}</th>
              <td />
              <td className="number" data-testid="total-share" data-yen={table.annualCostYen}>
                {yen(table.annualCostYen)}
              </td>
              <td className="number" data-testid="total-subsidy" data-yen={table.subsidyTotalYen}>
                {yen(table.subsidyTotalYen)}
              </td>
              <td className="number" data-testid="total-net" data-yen={table.netTotalYen}>
                {yen(table.netTotalYen)}
              </td>
              {current && <td />}
            </tr>
          </tfoot>
        </table>
      )}
    </div>
  );
}
