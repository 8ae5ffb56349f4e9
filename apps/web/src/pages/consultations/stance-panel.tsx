/**
 * My organisation's stance: a member drafts it (with a reason for object and block), an approver
 * turns a draft into the official stance (決裁). The drafts are the organisation's own business:
 * their live notice reaches only its people (and the organisation a draft is for, under a
 * mandate), and the page re-reads on it, so an approver sees a new draft arrive. An organisation
 * holding a mandate (usually the prefecture) may draft and approve for the mandating one: the
 * mandates active now that cover this round or its spec's domain are offered as "on behalf of".
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { commandId, mutate, type UserError } from '../../api/graphql';
import { useQuery } from '../../api/use-query';
import { may } from '../../auth/permissions';
import { useMe } from '../../auth/session';
import { DateTime } from '../../components/date-time';
import { ErrorMessage } from '../../components/status';
import { useOrganisationNames } from './organisation-names';
import { NEEDS_REASON, STANCES, type ConsultationNode, type StanceKind } from './consultation-types';

type Payload = { position: string | null; draftId: string | null; errors: UserError[] };

const DRAFT = `mutation DraftStance($input: DraftStanceInput!) { draftStance(input: $input) { position draftId errors { code message field } } }`;
const MANDATES = `query HeldMandates($grantee: ID!, $at: DateTime!) {
  mandates(granteeOrganisationId: $grantee, activeAt: $at) { id grantorOrganisationId scope { kind consultationId domain } expiresAt }
}`;
interface MandateNode {
  id: string;
  grantorOrganisationId: string;
  scope: { kind: 'CONSULTATION' | 'DOMAIN'; consultationId: string | null; domain: string | null };
  expiresAt: string;
}
const APPROVE = `mutation ApproveStance($input: ApproveStanceInput!) { approveStance(input: $input) { position errors { code message field } } }`;

export function StancePanel({ consultation, onWritten }: { consultation: ConsultationNode; onWritten: (position: string | null) => Promise<void> }) {
  const { t } = useTranslation('consultations');
  const me = useMe();
  const [stance, setStance] = useState<StanceKind | ''>('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [now] = useState(() => new Date().toISOString());

  const ownId = me.organisation?.id ?? '';
  const held = useQuery<{ mandates: MandateNode[] }>(MANDATES, { grantee: ownId, at: now }, { skip: !ownId });
  const mandates = (held.data?.mandates ?? []).filter((m) =>
    m.scope.kind === 'CONSULTATION' ? m.scope.consultationId === consultation.id : m.scope.domain === consultation.specId,
  );
  const { nameOf } = useOrganisationNames(mandates.map((m) => ({ organisationId: m.grantorOrganisationId, prefectureCode: null })));
  const official = consultation.stances.find((s) => s.organisationId === ownId) ?? null;
  const ownInElectorate =
    !!official || consultation.nonRespondents.some((r) => r.organisationId === ownId) || consultation.myDrafts.some((d) => d.organisationId === ownId);
  const inElectorate = ownInElectorate || mandates.length > 0;
  const voters = [...(ownInElectorate ? [ownId] : []), ...mandates.map((m) => m.grantorOrganisationId).filter((id) => id !== ownId)];
  const [voterChoice, setVoterChoice] = useState('');
  const voter = voters.includes(voterChoice) ? voterChoice : (voters[0] ?? ownId);
  const open = consultation.status === 'OPEN';
  const mayDraft = open && inElectorate && may(me, 'consultation.draftStance');
  const mayApprove = open && may(me, 'consultation.approveStance');
  const pending = consultation.myDrafts.filter((d) => !d.approved);
  const reasonNeeded = stance !== '' && NEEDS_REASON.has(stance);

  const run = async (work: () => Promise<Payload>, message: string) => {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const payload = await work();
      await onWritten(payload.position);
      setDone(message);
      return true;
    } catch (e) {
      setError(e as Error);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const draft = async (event: FormEvent) => {
    event.preventDefault();
    if (stance === '') return;
    const ok = await run(
      () =>
        mutate<Payload>(DRAFT, {
          input: {
            commandId: commandId(),
            consultationId: consultation.id,
            ...(voter !== ownId ? { organisationId: voter } : {}),
            stance,
            reason: reason.trim() === '' ? null : reason.trim(),
          },
        }),
      t('stance.drafted'),
    );
    if (ok) {
      setStance('');
      setReason('');
    }
  };

  const approve = (draftId: string) =>
    run(() => mutate<Payload>(APPROVE, { input: { commandId: commandId(), consultationId: consultation.id, draftId } }), t('stance.approved'));

  return (
    <section aria-labelledby="my-stance-title" className="panel" data-testid="my-stance">
      <h2 id="my-stance-title">{t('stance.title', { organisation: me.organisation?.name ?? '' })}</h2>
      {!inElectorate && <p className="muted">{t('stance.notInElectorate')}</p>}
      {official && (
        <p data-testid="official-stance">
          {t('stance.official')}: <span className={`badge stance-${official.stance}`}>{t(`stance.${official.stance}`)}</span>
          {official.reason && <> — {official.reason}</>}{' '}
          <span className="muted">
            (<DateTime value={official.castAt} />)
          </span>
        </p>
      )}
      {inElectorate && !official && consultation.resultsHidden && open && <p className="muted">{t('stance.noOfficialYet')}</p>}
      {voters
        .filter((id) => id !== ownId)
        .map((id) => {
          const cast = consultation.stances.find((st) => st.organisationId === id);
          return (
            <p key={id} data-testid={`mandated-stance-${id}`}>
              {t('stance.mandated', { organisation: nameOf(id) })}:{' '}
              {cast ? (
                <span className={`badge stance-${cast.stance}`}>{t(`stance.${cast.stance}`)}</span>
              ) : (
                <span className="muted">{t('stance.noOfficialYet')}</span>
              )}
            </p>
          );
        })}

      {mayDraft && (
        <form onSubmit={(e) => void draft(e)} aria-labelledby="draft-title" data-testid="draft-form">
          <h3 id="draft-title">{t('stance.draftTitle')}</h3>
          {voters.some((id) => id !== ownId) && (
            <label className="field">
              <span>{t('stance.onBehalfOf')}</span>
              <select value={voter} onChange={(e) => setVoterChoice(e.target.value)} data-testid="voter">
                {voters.map((id) => (
                  <option key={id} value={id}>
                    {id === ownId ? (me.organisation?.name ?? id) : t('stance.mandated', { organisation: nameOf(id) })}
                  </option>
                ))}
              </select>
            </label>
          )}
          <fieldset>
            <legend>{t('stance.choose')}</legend>
            <div className="stance-choices">
              {STANCES.map((s) => (
                <label key={s} className="choice">
                  <input type="radio" name="stance" value={s} checked={stance === s} onChange={() => setStance(s)} />
                  <span>{t(`stance.${s}`)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <label className="field">
            <span>
              {t('stance.reason')} {reasonNeeded ? t('stance.reasonRequired') : t('stance.reasonOptional')}
            </span>
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} required={reasonNeeded} aria-required={reasonNeeded} />
          </label>
          <div className="actions">
            <button type="submit" disabled={busy || stance === '' || (reasonNeeded && reason.trim() === '')}>
              {t('stance.draft')}
            </button>
          </div>
        </form>
      )}

      {consultation.myDrafts.length > 0 && (
        <>
          <h3>{t('stance.drafts')}</h3>
          <ul className="plain-list drafts" data-testid="drafts">
            {consultation.myDrafts.map((d) => (
              <li key={d.draftId} className="draft">
                <span className={`badge stance-${d.stance}`}>{t(`stance.${d.stance}`)}</span>
                {d.reason && <> — {d.reason}</>}{' '}
                <span className="muted">
                  {t('stance.draftedAt')} <DateTime value={d.draftedAt} />
                  {d.organisationId !== ownId && <> · {t('stance.forOrganisation', { organisation: nameOf(d.organisationId) })}</>}
                </span>{' '}
                {d.approved ? (
                  <span className="badge">{t('stance.approvedBadge')}</span>
                ) : mayApprove ? (
                  <button type="button" disabled={busy} onClick={() => void approve(d.draftId)} data-testid="approve-draft">
                    {t('stance.approve', { stance: t(`stance.${d.stance}`) })}
                  </button>
                ) : (
                  <span className="badge">{t('stance.awaitingApproval')}</span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {inElectorate && open && pending.length > 0 && !mayApprove && <p className="muted">{t('stance.askApprover')}</p>}
      <p role="status" aria-live="polite" className="muted" data-testid="stance-status">
        {done}
      </p>
      <ErrorMessage error={error} />
    </section>
  );
}
