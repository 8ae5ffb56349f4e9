export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string };
  String: { input: string; output: string };
  Boolean: { input: boolean; output: boolean };
  Int: { input: number; output: number };
  Float: { input: number; output: number };
  /** An ISO-8601 date and time, e.g. 2026-11-22T09:00:00.000Z. */
  DateTime: { input: Date; output: Date };
  /**
   * A place in the global event order, as an opaque string. Every mutation returns the position it
   * wrote; pass it as `waitFor` to a query to read your own write.
   */
  Position: { input: string; output: string };
};

export type AcceptProposalPayload = {
  __typename?: 'AcceptProposalPayload';
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
  proposal: Maybe<Proposal>;
};

export type ActivateTalentArrangementInput = {
  arrangementId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
};

export type AddMemberInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  displayName: Scalars['String']['input'];
  email: Scalars['String']['input'];
  organisationId: Scalars['ID']['input'];
  /** Defaults to a new id. */
  personId?: InputMaybe<Scalars['ID']['input']>;
  roles: Array<Role>;
};

export type AddMemberPayload = {
  __typename?: 'AddMemberPayload';
  errors: Array<UserError>;
  member: Maybe<Member>;
  position: Maybe<Scalars['Position']['output']>;
};

export type AddTalentCandidateInput = {
  arrangementId: Scalars['ID']['input'];
  /** Default: derived from commandId. */
  candidateId?: InputMaybe<Scalars['ID']['input']>;
  commandId?: InputMaybe<Scalars['ID']['input']>;
  name: Scalars['String']['input'];
  /** Into the host's own recruitment file (応募番号 or similar): no contact details, CV or assessment here. */
  reference: Scalars['String']['input'];
};

export type AddTalentPoolPersonInput = {
  capacityDaysPerMonth: Scalars['Int']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  name: Scalars['String']['input'];
  poolId: Scalars['ID']['input'];
  /** Default: derived from commandId. */
  poolPersonId?: InputMaybe<Scalars['ID']['input']>;
  reference: Scalars['String']['input'];
};

export type ApproveStanceInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  consultationId: Scalars['ID']['input'];
  draftId: Scalars['ID']['input'];
};

/**
 * Signed audit checkpoints (ADR 0012): periodically, and on demand, the platform signs the Merkle
 * root over every stream's head with its Ed25519 key; the checkpoints form their own chain. The
 * public keys, current and retired, are at /.well-known/kyogi-checkpoint-keys.json; anyone who
 * keeps a checkpoint can check with `verify <export> --checkpoint <file>` (apps/verify) that the
 * log still extends it.
 */
export type AuditCheckpoint = {
  __typename?: 'AuditCheckpoint';
  createdAt: Scalars['DateTime']['output'];
  /** SHA-256 of this checkpoint's canonical body: what the next one names. */
  digest: Scalars['String']['output'];
  /** The signed checkpoint as JSON, to keep and hand to `verify --checkpoint` later. */
  json: Scalars['String']['output'];
  keyId: Scalars['String']['output'];
  merkleRoot: Scalars['String']['output'];
  /** Every event at or before this global position is covered. */
  position: Scalars['Position']['output'];
  /** SHA-256 of the previous checkpoint's canonical body; null for the first. */
  previousDigest: Maybe<Scalars['String']['output']>;
  sequence: Scalars['Int']['output'];
  signature: Scalars['String']['output'];
  streamCount: Scalars['Int']['output'];
};

export type AuditCheckpointPayload = {
  __typename?: 'AuditCheckpointPayload';
  checkpoint: Maybe<AuditCheckpoint>;
  errors: Array<UserError>;
};

/**
 * What a verification found wrong: the first event whose content, link or revision no longer matches
 * (with its stream, revision and position), or a checkpoint problem (its code, without a stream).
 */
export type AuditFinding = {
  __typename?: 'AuditFinding';
  message: Scalars['String']['output'];
  position: Maybe<Scalars['String']['output']>;
  /** content-changed, link-broken, missing-revision, reordered, or a checkpoint problem's code (ROOT_MISMATCH, BAD_SIGNATURE, …). */
  reason: Scalars['String']['output'];
  revision: Maybe<Scalars['String']['output']>;
  streamName: Maybe<Scalars['String']['output']>;
};

export type AuditKey = {
  __typename?: 'AuditKey';
  /** RFC 7638 thumbprint of the key. */
  kid: Scalars['String']['output'];
  /** Set once the key signs no more (rotation). */
  retiredAt: Maybe<Scalars['DateTime']['output']>;
  /** The Ed25519 public key, base64url. */
  x: Scalars['String']['output'];
};

export type AuditMismatch = {
  __typename?: 'AuditMismatch';
  message: Scalars['String']['output'];
  position: Scalars['String']['output'];
  /** content-changed, link-broken, missing-revision or reordered. */
  reason: Scalars['String']['output'];
  revision: Scalars['String']['output'];
  streamName: Scalars['String']['output'];
};

export type AuditProblem = {
  __typename?: 'AuditProblem';
  /** checkpoint or earlier. */
  about: Scalars['String']['output'];
  code: Scalars['String']['output'];
  message: Scalars['String']['output'];
};

/**
 * The audit's standing, shared by every instance (kept in the audit stream): failed from the moment a
 * verification — verifyAuditLog, the periodic one, or the check of every new event before a
 * checkpoint is signed — finds the log no longer matching its hashes or checkpoints, until a full
 * verification passes again (after a restore). No checkpoint is signed while it has failed.
 */
export type AuditStatus = {
  __typename?: 'AuditStatus';
  /** When the standing failure was found; null when ok. */
  failedSince: Maybe<Scalars['DateTime']['output']>;
  /** What was found; null when ok. */
  finding: Maybe<AuditFinding>;
  /** The latest signed checkpoint; null before the first. */
  latestCheckpoint: Maybe<AuditCheckpoint>;
  ok: Scalars['Boolean']['output'];
};

export type AuditVerification = {
  __typename?: 'AuditVerification';
  /** The latest checkpoint the log was checked against; null before the first checkpoint. */
  checkpoint: Maybe<AuditCheckpoint>;
  eventCount: Scalars['Int']['output'];
  /** The first event whose content or link no longer matches, with its stream and position. */
  firstMismatch: Maybe<AuditMismatch>;
  /** What was checked and how (not failures). */
  notes: Array<Scalars['String']['output']>;
  /** True only when every event's hash chain and the latest checkpoint (signature, chain, root) match. */
  ok: Scalars['Boolean']['output'];
  problems: Array<AuditProblem>;
  streamCount: Scalars['Int']['output'];
  verifiedAt: Scalars['DateTime']['output'];
};

/** One change of a revision against the base text of the spec version: `before` → `after` as segments. */
export type ChangeDiff = {
  __typename?: 'ChangeDiff';
  /** The proposed text (empty for DELETE). */
  after: Scalars['String']['output'];
  /** The base text (empty for ADD). */
  before: Scalars['String']['output'];
  changeId: Scalars['ID']['output'];
  kind: ChangeKind;
  reason: Scalars['String']['output'];
  requirementId: Scalars['String']['output'];
  requirementTitle: Maybe<Scalars['String']['output']>;
  segments: Array<DiffSegment>;
};

export type ChangeKind =
  /** A new requirement (a requirement id not in the version). */
  | 'ADD'
  /** Remove an existing requirement. */
  | 'DELETE'
  /** New text for an existing requirement. */
  | 'MODIFY';

export type ChangeMemberRolesInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  organisationId: Scalars['ID']['input'];
  personId: Scalars['ID']['input'];
  /** The complete new set of roles. */
  roles: Array<Role>;
};

export type ChangeMemberRolesPayload = {
  __typename?: 'ChangeMemberRolesPayload';
  errors: Array<UserError>;
  member: Maybe<Member>;
  position: Maybe<Scalars['Position']['output']>;
};

export type ChangeTalentPoolPersonCapacityInput = {
  capacityDaysPerMonth: Scalars['Int']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  poolId: Scalars['ID']['input'];
  poolPersonId: Scalars['ID']['input'];
};

export type ChangeTalentTermsInput = {
  arrangementId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  reason: Scalars['String']['input'];
  /** The complete new terms (not a patch). */
  terms: TalentTermsInput;
};

export type ChooseLadderInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  proposalId: Scalars['ID']['input'];
  /** At least one round stage, then NATIONAL_DECISION last. Stage 1 opens at once. */
  stages: Array<LadderStageInput>;
};

export type CloseConsultationInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};

/**
 * A comment: a personal opinion, attributed to the person and their organisation; threaded,
 * anchored to a proposal change or a requirement; edited (every edition kept), never deleted.
 */
export type Comment = {
  __typename?: 'Comment';
  anchor: CommentAnchor;
  /** The author's display name, as their organisation lists it. */
  authorDisplayName: Maybe<Scalars['String']['output']>;
  authorOrganisation: Maybe<Organisation>;
  authorOrganisationId: Scalars['ID']['output'];
  authorPersonId: Scalars['ID']['output'];
  /** The latest edition. */
  body: Scalars['String']['output'];
  /** The current disposition. */
  disposition: Maybe<CommentDisposition>;
  /** Every disposition, oldest first. */
  dispositionHistory: Array<CommentDisposition>;
  edition: Scalars['Int']['output'];
  /** Every edition, oldest first. */
  editions: Array<CommentEdition>;
  id: Scalars['ID']['output'];
  /** The caller's own current reaction. */
  myReaction: Maybe<Reaction>;
  parentCommentId: Maybe<Scalars['ID']['output']>;
  position: Scalars['Position']['output'];
  postedAt: Scalars['DateTime']['output'];
  /** Null for a comment on the spec version itself. */
  proposalId: Maybe<Scalars['ID']['output']>;
  quote: Maybe<CommentQuote>;
  reactions: ReactionTotals;
  /** Direct replies, oldest first, each with its own replies. */
  replies: Array<Comment>;
  retractedAt: Maybe<Scalars['DateTime']['output']>;
  retractionReason: Maybe<Scalars['String']['output']>;
  specId: Scalars['ID']['output'];
  specVersion: Scalars['String']['output'];
  status: CommentStatus;
  streamVersion: Scalars['Int']['output'];
  /** The top comment of the thread (itself at the top). */
  threadId: Scalars['ID']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type CommentAddedEvent = {
  __typename?: 'CommentAddedEvent';
  /** CommentPosted. */
  change: Scalars['String']['output'];
  /** The comment as it is now. */
  comment: Maybe<Comment>;
  commentId: Scalars['ID']['output'];
  position: Scalars['Position']['output'];
  proposalId: Scalars['ID']['output'];
};

/** Where a comment points: a change of its proposal, or a requirement of the spec version. */
export type CommentAnchor = {
  __typename?: 'CommentAnchor';
  changeId: Maybe<Scalars['ID']['output']>;
  kind: CommentAnchorKind;
  requirementId: Maybe<Scalars['String']['output']>;
};

export type CommentAnchorInput = {
  /** For CHANGE: a change of the proposal's current revision. */
  changeId?: InputMaybe<Scalars['ID']['input']>;
  kind: CommentAnchorKind;
  /** For REQUIREMENT: a requirement of the spec version. */
  requirementId?: InputMaybe<Scalars['String']['input']>;
};

export type CommentAnchorKind = 'CHANGE' | 'REQUIREMENT';

export type CommentDisposition = {
  __typename?: 'CommentDisposition';
  answer: Scalars['String']['output'];
  code: DispositionCode;
  disposedAt: Scalars['DateTime']['output'];
  disposedByOrganisationId: Scalars['ID']['output'];
  disposedByPersonId: Scalars['ID']['output'];
  /** The code as the matrix writes it: 対応する, 修正して対応, 今後検討, 対応しない or 回答のみ. */
  label: Scalars['String']['output'];
  /** 1, 2, … : a disposition is revised, never erased. */
  revision: Scalars['Int']['output'];
};

export type CommentEdition = {
  __typename?: 'CommentEdition';
  body: Scalars['String']['output'];
  editedAt: Scalars['DateTime']['output'];
  edition: Scalars['Int']['output'];
};

/** What is wrong in the file: row null for the file itself, column null for the whole row. */
export type CommentMatrixProblem = {
  __typename?: 'CommentMatrixProblem';
  code: Scalars['String']['output'];
  /** The column letter and its header, e.g. E (修文案). */
  column: Maybe<Scalars['String']['output']>;
  message: Scalars['String']['output'];
  row: Maybe<Scalars['Int']['output']>;
};

/** A row of the matrix that is (or, on a dry run, would be) a comment of the caller's organisation. */
export type CommentMatrixRow = {
  __typename?: 'CommentMatrixRow';
  /** The comment exists already (this file, or the same rows, were imported before). */
  alreadyImported: Scalars['Boolean']['output'];
  /** The change of the proposal for that requirement, or the requirement itself when the proposal does not change it. */
  anchor: CommentAnchor;
  /** The comment's text as posted: 【修文案】… and 【理由】…, or the reason alone. */
  body: Scalars['String']['output'];
  /** The comment's id, derived from the row's content: importing the same rows again creates nothing. */
  commentId: Scalars['ID']['output'];
  /** 行番号: the line of the anchored text the quote starts on. */
  line: Maybe<Scalars['Int']['output']>;
  /** The No column as written. */
  no: Maybe<Scalars['String']['output']>;
  /** 修正前の文, as a span of the anchored text (null: the comment is on the whole text). */
  quote: Maybe<CommentQuote>;
  /** 理由 ('' when none). */
  reason: Scalars['String']['output'];
  /** The requirement of 該当項目. */
  requirementId: Scalars['String']['output'];
  requirementTitle: Maybe<Scalars['String']['output']>;
  /** The row as Excel numbers it. */
  row: Scalars['Int']['output'];
  /** 修文案 ('' when none). */
  suggestion: Scalars['String']['output'];
};

/** A row carrying the コメントID of a comment already in Kyogi (an exported matrix): left as it is. */
export type CommentMatrixSkippedRow = {
  __typename?: 'CommentMatrixSkippedRow';
  commentId: Scalars['ID']['output'];
  row: Scalars['Int']['output'];
};

/** A span of the anchored text, verified when posted: text = anchoredText.slice(start, end) (UTF-16 offsets). */
export type CommentQuote = {
  __typename?: 'CommentQuote';
  end: Scalars['Int']['output'];
  start: Scalars['Int']['output'];
  text: Scalars['String']['output'];
};

export type CommentQuoteInput = {
  end: Scalars['Int']['input'];
  start: Scalars['Int']['input'];
  /** Must be the anchored text from start to end (the current revision's proposed text, or the requirement's text). */
  text: Scalars['String']['input'];
};

export type CommentStatus = 'DISPOSED' | 'POSTED' | 'RETRACTED';

export type CompleteTalentChecklistItemInput = {
  arrangementId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  itemId: Scalars['ID']['input'];
};

export type ConsentToTalentTermsInput = {
  arrangementId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /** Default: the caller's own organisation (only its own approver answers for it). */
  organisationId?: InputMaybe<Scalars['ID']['input']>;
  /** The version the approver read; only the current one is answered. */
  termsVersion: Scalars['Int']['input'];
};

export type Consultation = {
  __typename?: 'Consultation';
  /**
   * Set when read with `consultation(asOf:)`: the moment the consultation is shown as of (rebuilt
   * from its events up to then). Its tally, outcome, `stances`, `nonRespondents` and `myDrafts` are
   * those of that moment, under the same rules as now (a round hidden and still open then shows no
   * tally, and only your own stances); `ladder` is the ladder as it is now. Null when read now.
   */
  asOf: Maybe<Scalars['DateTime']['output']>;
  closeReason: Maybe<Scalars['String']['output']>;
  closedAt: Maybe<Scalars['DateTime']['output']>;
  closesAt: Scalars['DateTime']['output'];
  early: Maybe<Scalars['Boolean']['output']>;
  electorateCount: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  ladder: Maybe<Ladder>;
  /** The ladder this round belongs to; null for a lone round. */
  ladderId: Maybe<Scalars['ID']['output']>;
  ladderStage: Maybe<Scalars['Int']['output']>;
  /** The caller organisation's drafts, newest first. */
  myDrafts: Array<StanceDraft>;
  /** Organisations of the electorate without an official stance, by prefecture then organisation; optionally of one prefecture. */
  nonRespondents: Array<NonRespondent>;
  openedAt: Scalars['DateTime']['output'];
  openedByOrganisationId: Scalars['ID']['output'];
  openedByPersonId: Scalars['ID']['output'];
  /** Recorded at close; null before. */
  outcome: Maybe<Outcome>;
  position: Scalars['Position']['output'];
  proposalId: Scalars['ID']['output'];
  resultsHidden: Scalars['Boolean']['output'];
  rules: ConsultationRules;
  specId: Scalars['ID']['output'];
  /** Official stances; while results are hidden and the round is open, only the caller's own organisation's. */
  stances: Array<OfficialStance>;
  status: ConsultationStatus;
  streamVersion: Scalars['Int']['output'];
  /** Null while the results are hidden and the round is open. */
  tally: Maybe<Tally>;
};

export type ConsultationNonRespondentsArgs = {
  prefectureCode: InputMaybe<Scalars['String']['input']>;
};

export type ConsultationChangedEvent = {
  __typename?: 'ConsultationChangedEvent';
  /** ConsultationOpened, StanceDrafted (to the drafting organisation and the one it is for only), StanceCast or ConsultationClosed. */
  change: Scalars['String']['output'];
  consultation: Maybe<Consultation>;
  consultationId: Scalars['ID']['output'];
  position: Scalars['Position']['output'];
};

export type ConsultationConnection = {
  __typename?: 'ConsultationConnection';
  edges: Array<ConsultationEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ConsultationEdge = {
  __typename?: 'ConsultationEdge';
  cursor: Scalars['String']['output'];
  node: Consultation;
};

export type ConsultationPayload = {
  __typename?: 'ConsultationPayload';
  consultation: Maybe<Consultation>;
  consultationId: Maybe<Scalars['ID']['output']>;
  /** The draft, for draftStance. */
  draftId: Maybe<Scalars['ID']['output']>;
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
};

export type ConsultationRules = {
  __typename?: 'ConsultationRules';
  blockVetoes: Scalars['Boolean']['output'];
  quorumPercent: Scalars['Int']['output'];
  thresholdBasis: ThresholdBasis;
  thresholdPercent: Scalars['Int']['output'];
  weighting: Weighting;
};

/**
 * A consultation (round) on a submitted proposal: an electorate of organisations takes official
 * stances (drafted by a member, approved by an approver, 決裁) until the closing time; then it closes
 * by itself (or early, by a coordinator of the opening organisation, with a reason) and records its
 * outcome with the exact tally it was computed from.
 */
export type ConsultationStatus = 'CLOSED' | 'OPEN';

export type CreateSpecInput = {
  /** Makes a retry idempotent: the same commandId never creates twice. */
  commandId?: InputMaybe<Scalars['ID']['input']>;
  domain: Scalars['String']['input'];
  /** A slug of 2–64 characters a-z, 0-9 and '-', e.g. juminkiroku. */
  id: Scalars['ID']['input'];
  title: Scalars['String']['input'];
};

export type CreateSpecPayload = {
  __typename?: 'CreateSpecPayload';
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
  spec: Maybe<Spec>;
};

export type DeactivateOrganisationInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  organisationId: Scalars['ID']['input'];
  /** Why (kept in the history). */
  reason: Scalars['String']['input'];
};

export type DeactivateOrganisationPayload = {
  __typename?: 'DeactivateOrganisationPayload';
  errors: Array<UserError>;
  organisation: Maybe<Organisation>;
  position: Maybe<Scalars['Position']['output']>;
};

export type DecideProposalInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  proposalId: Scalars['ID']['input'];
  rationale: Scalars['String']['input'];
  /**
   * The revision the decision is about, as the decider read it: if the proposal was revised since,
   * the decision fails with PROPOSAL_REVISION_STALE. Default: the current revision.
   */
  revision?: InputMaybe<Scalars['Int']['input']>;
};

export type DeclineTalentTermsInput = {
  arrangementId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /** Default: the caller's own organisation. */
  organisationId?: InputMaybe<Scalars['ID']['input']>;
  reason: Scalars['String']['input'];
  termsVersion: Scalars['Int']['input'];
};

export type DefineTalentRequirementsInput = {
  arrangementId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /** The complete requirements (replace the earlier ones). */
  requirements: Array<TalentRequirementInput>;
};

export type DemoLoginPayload = {
  __typename?: 'DemoLoginPayload';
  errors: Array<UserError>;
  expiresAt: Maybe<Scalars['DateTime']['output']>;
  token: Maybe<Scalars['String']['output']>;
};

/** A seeded demo user of the embedded mode. */
export type DemoUser = {
  __typename?: 'DemoUser';
  /** What the user stands for, e.g. 総務省 spec owner secretariat. */
  description: Scalars['String']['output'];
  displayName: Scalars['String']['output'];
  email: Scalars['String']['output'];
  organisationId: Scalars['ID']['output'];
  roles: Array<Role>;
};

export type DiffOp = 'DELETE' | 'EQUAL' | 'INSERT';

/** A word-level (character-level within Japanese) diff segment; applying the segments to the old text gives the new one. */
export type DiffSegment = {
  __typename?: 'DiffSegment';
  /** EQUAL, INSERT or DELETE. */
  op: DiffOp;
  text: Scalars['String']['output'];
};

export type DispatchTalentPoolPersonInput = {
  /** An arrangement the pool's prefecture hosts. */
  arrangementId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  daysPerMonth: Scalars['Int']['input'];
  /** Default: derived from commandId. */
  dispatchId?: InputMaybe<Scalars['ID']['input']>;
  endDate: Scalars['String']['input'];
  /** The participant served. */
  organisationId: Scalars['ID']['input'];
  poolId: Scalars['ID']['input'];
  poolPersonId: Scalars['ID']['input'];
  startDate: Scalars['String']['input'];
};

export type DisposeCommentInput = {
  answer: Scalars['String']['input'];
  code: DispositionCode;
  commandId?: InputMaybe<Scalars['ID']['input']>;
  commentId: Scalars['ID']['input'];
};

export type DisposeCommentPayload = {
  __typename?: 'DisposeCommentPayload';
  comment: Maybe<Comment>;
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
};

/** The secretariat's disposition codes of 意見照会. */
export type DispositionCode =
  /** 対応する */
  | 'ADDRESS'
  /** 修正して対応 */
  | 'ADDRESS_WITH_CHANGES'
  /** 回答のみ */
  | 'ANSWER_ONLY'
  /** 今後検討 */
  | 'CONSIDER_LATER'
  /** 対応しない */
  | 'NOT_ADDRESS';

export type DraftProposalInput = {
  changes: Array<ProposalChangeInput>;
  /** Makes a retry idempotent: the same commandId never drafts twice. */
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /** Default: derived from commandId (a ULID). */
  proposalId?: InputMaybe<Scalars['ID']['input']>;
  specId: Scalars['ID']['input'];
  /** A published version, e.g. 4.0 (exact string). */
  specVersion: Scalars['String']['input'];
  title: Scalars['String']['input'];
};

export type DraftProposalPayload = {
  __typename?: 'DraftProposalPayload';
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
  proposal: Maybe<Proposal>;
};

export type DraftStanceInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  consultationId: Scalars['ID']['input'];
  /** Default: derived from commandId. */
  draftId?: InputMaybe<Scalars['ID']['input']>;
  /** The voting organisation; default the caller's own (another one needs a valid mandate). */
  organisationId?: InputMaybe<Scalars['ID']['input']>;
  reason?: InputMaybe<Scalars['String']['input']>;
  stance: StanceKind;
};

export type EditCommentInput = {
  body: Scalars['String']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  commentId: Scalars['ID']['input'];
};

export type EditCommentPayload = {
  __typename?: 'EditCommentPayload';
  comment: Maybe<Comment>;
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
};

/** Exactly one of `organisations` or `rule`. */
export type ElectorateInput = {
  organisations?: InputMaybe<Array<Scalars['ID']['input']>>;
  prefectureCode?: InputMaybe<Scalars['String']['input']>;
  rule?: InputMaybe<ElectorateRule>;
};

export type ElectorateRule =
  /** Every active municipality of the prefecture `prefectureCode`. */
  | 'ALL_MUNICIPALITIES_OF_PREFECTURE'
  /** Every active prefecture. */
  | 'ALL_PREFECTURES';

export type EndTalentArrangementInput = {
  arrangementId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /** Required to end before the term's end date. */
  reason?: InputMaybe<Scalars['String']['input']>;
};

export type EndTalentPoolDispatchInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  dispatchId: Scalars['ID']['input'];
  /** The new last day, between the start and the current end. */
  endDate: Scalars['String']['input'];
  poolId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};

export type GrantMandateInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  expiresAt: Scalars['DateTime']['input'];
  granteeOrganisationId: Scalars['ID']['input'];
  /** Generated when omitted. */
  id?: InputMaybe<Scalars['ID']['input']>;
  scope: MandateScopeInput;
};

export type GrantMandatePayload = {
  __typename?: 'GrantMandatePayload';
  errors: Array<UserError>;
  mandate: Maybe<Mandate>;
  position: Maybe<Scalars['Position']['output']>;
};

/** Who did it, as recorded with the event (metadata.actor). */
export type HistoryActor = {
  __typename?: 'HistoryActor';
  /** Null when the organisation is not one of the platform's (e.g. the platform itself, for signed checkpoints). */
  organisation: Maybe<Organisation>;
  organisationId: Scalars['ID']['output'];
  personId: Scalars['ID']['output'];
  /** The person's roles when acting. */
  roles: Array<Role>;
};

export type HistoryConnection = {
  __typename?: 'HistoryConnection';
  /** Oldest first. */
  edges: Array<HistoryEdge>;
  entityId: Scalars['ID']['output'];
  entityKind: HistoryEntityKind;
  /** Events in the stream, whatever the filters. */
  eventCount: Scalars['Int']['output'];
  pageInfo: PageInfo;
  streamName: Scalars['String']['output'];
};

export type HistoryEdge = {
  __typename?: 'HistoryEdge';
  /** The entry's revision (in an activity feed: its position). */
  cursor: Scalars['String']['output'];
  node: HistoryEntry;
};

/**
 * The audit history (監査): every event of an entity, read from its event stream itself (never
 * from a read model), with when, who (person, organisation, roles), what changed in one sentence in
 * Japanese and in English, and its place in the hash chain (docs/adr/0004).
 *
 * Who sees what follows the same rules as the queries (apps/api/src/audit/history/access.ts):
 * - a proposal never submitted, and every comment on it: its author organisation only;
 * - a mandate: its grantor and grantee, and national admins and coordinators;
 * - everything else: everyone with a role.
 * An entity that does not exist and one you may not see give the same error, NOT_FOUND.
 *
 * Some entries are shown `redacted` — the entry is there, with its time, actor, type and hashes, but
 * its summary leaves something out, and its correlation and causation ids are null:
 * - a stance draft (StanceDrafted): its stance and reason are for the drafting organisation only,
 *   always (as `Consultation.myDrafts`);
 * - an official stance (StanceCast) of a round whose results are hidden and that is still open: its
 *   stance and reason are for the voting (or casting) organisation only until the round closes —
 *   the history of such a round is not refused, it is redacted (as `Consultation.stances`);
 * - a member added (MemberAdded): the name and e-mail address are for those who may read the
 *   organisation's members (its own people, national admins and coordinators);
 * - a talent candidate added: the name and file reference are for the arrangement's organisers
 *   (the proposer and the host);
 * - a person added to a talent pool: the name and file reference are for the pool's prefecture.
 */
export type HistoryEntityKind = 'COMMENT' | 'CONSULTATION' | 'LADDER' | 'MANDATE' | 'ORGANISATION' | 'PROPOSAL' | 'SPEC' | 'TALENT_ARRANGEMENT' | 'TALENT_POOL';

export type HistoryEntry = {
  __typename?: 'HistoryEntry';
  actor: HistoryActor;
  causationId: Maybe<Scalars['ID']['output']>;
  /** The command that caused it; null when redacted. */
  correlationId: Maybe<Scalars['ID']['output']>;
  entityId: Scalars['ID']['output'];
  /** The kind of entity of the stream; null for streams of other kinds (the seed marker, audit checkpoints). */
  entityKind: Maybe<HistoryEntityKind>;
  eventId: Scalars['ID']['output'];
  /** SHA-256 (hex) over the event's canonical content and previousHash. */
  hash: Scalars['String']['output'];
  /** When it happened: the decided command's time (metadata.occurredAt). */
  occurredAt: Scalars['DateTime']['output'];
  /** Its place in the global order of all events. */
  position: Scalars['Position']['output'];
  /** The hash of the event before it in its stream; null for revision 0. */
  previousHash: Maybe<Scalars['String']['output']>;
  /** When the store recorded it. */
  recordedAt: Scalars['DateTime']['output'];
  /** Part of the event is withheld from you (see above); the summary says what. */
  redacted: Scalars['Boolean']['output'];
  /** 0 for the stream's first event, then +1 per event: the history's cursor. */
  revision: Scalars['Int']['output'];
  schemaVersion: Scalars['Int']['output'];
  /** The stream it belongs to: <Category>-<id>, e.g. Consultation-01JQ… */
  streamName: Scalars['String']['output'];
  /** What changed, e.g. 札幌市が賛成の公式見解を決裁しました / 札幌市 (011002) cast APPROVE. */
  summary: LocalizedText;
  /** The event type, e.g. StanceCast. */
  type: Scalars['String']['output'];
};

/**
 * The 意見照会 matrix (Excel): how municipalities answer a consultation on a 標準仕様書 — one row
 * per comment, columns No / 該当項目 / 行番号 / 修正前の文 / 修文案 / 理由 / 団体, answered by the
 * secretariat in 対応区分 / 対応案 (docs/adr/0014). Municipalities import new rows as comments
 * (importCommentMatrix); the secretariat imports its answers as dispositions (importMatrixDispositions).
 *
 * Downloads are plain HTTP GETs with the same bearer token (errors as JSON { code, message }):
 * - GET /matrix/proposals/{proposalId}.xlsx — the matrix of a proposal's comment threads, for
 *   whoever may read the proposal (a never-submitted one: its author organisation only);
 * - GET /consultations/{consultationId}/results.xlsx and results.csv — a round's result sheet:
 *   its tally, and one row per organisation of the electorate (prefecture, official stance or
 *   未回答, reason, who cast it and under which mandate, when), grouped by prefecture; a hidden
 *   round only once closed (403 RESULTS_HIDDEN before).
 * Both take ?waitFor=<position> to read one's own write.
 */
export type ImportCommentMatrixInput = {
  /** True: check every row and answer what would be created; nothing is stored. Run it first. */
  dryRun: Scalars['Boolean']['input'];
  /**
   * The .xlsx file, base64 (a data: URL prefix is accepted). At most 1 MB (1,048,576 bytes) once
   * decoded — about 1.4 MB of base64 within the API's 2 MB request limit — and 500 rows; bigger
   * files are refused with FILE_TOO_LARGE (or TOO_MANY_ROWS): split them.
   */
  fileBase64: Scalars['String']['input'];
  /** The proposal commented on; the matrix's 提案ID, if it has one, must be this one. */
  proposalId: Scalars['ID']['input'];
};

export type ImportCommentMatrixPayload = {
  __typename?: 'ImportCommentMatrixPayload';
  /** Comments this call created: 0 on a dry run, when there are problems, and when every row was imported before. */
  createdCount: Scalars['Int']['output'];
  dryRun: Scalars['Boolean']['output'];
  /** The usual list: FORBIDDEN, PROPOSAL_NOT_FOUND, INVALID_BASE64, FILE_TOO_LARGE, and every problem above (the message naming its row and column). */
  errors: Array<UserError>;
  /** The last position written (pass as waitFor); null when nothing was written. */
  position: Maybe<Scalars['Position']['output']>;
  /** Every problem in the file, with its row and column. When there is any, nothing was stored. */
  problems: Array<CommentMatrixProblem>;
  /** The rows that are (or would be) comments, in sheet order; without problems only. */
  rows: Array<CommentMatrixRow>;
  /** The sheet read as the matrix. */
  sheet: Maybe<Scalars['String']['output']>;
  skippedRows: Array<CommentMatrixSkippedRow>;
};

export type ImportMatrixDispositionsInput = {
  /** True: check every row and answer what would change; nothing is stored. Run it first. */
  dryRun: Scalars['Boolean']['input'];
  /** The .xlsx file, base64, as for importCommentMatrix (at most 1 MB decoded and 500 rows). */
  fileBase64: Scalars['String']['input'];
  /** The proposal whose comments are answered; the matrix's 提案ID, if it has one, must be this one. */
  proposalId: Scalars['ID']['input'];
};

export type ImportMatrixDispositionsPayload = {
  __typename?: 'ImportMatrixDispositionsPayload';
  /** Dispositions this call recorded (NEW and REVISED rows): 0 on a dry run, when there are problems, and when every row is UNCHANGED. */
  disposedCount: Scalars['Int']['output'];
  dryRun: Scalars['Boolean']['output'];
  /** FORBIDDEN, PROPOSAL_NOT_FOUND, INVALID_BASE64, FILE_TOO_LARGE, and every problem above (the message naming its row and column). */
  errors: Array<UserError>;
  /** The last position written (pass as waitFor); null when nothing was written. */
  position: Maybe<Scalars['Position']['output']>;
  /** Every problem in the file, with its row and column. When there is any, nothing was stored. */
  problems: Array<CommentMatrixProblem>;
  /** The answered rows, in sheet order; without problems only. */
  rows: Array<MatrixDispositionRow>;
  /** The sheet read as the matrix. */
  sheet: Maybe<Scalars['String']['output']>;
  unansweredRows: Array<MatrixUnansweredRow>;
};

export type ImportSpecVersionInput = {
  /** Makes a retry idempotent: the same commandId publishes once and answers as the first time. */
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * The file's text (at most 1 MB of UTF-8 and 5,000 requirements; an HTTP request is limited to
   * 100 KB today, so import larger files with `npm run specs:import`).
   */
  content: Scalars['String']['input'];
  format: SpecImportFormat;
  /** Accepted proposals of this spec that the version incorporates; each is then marked incorporated. */
  incorporatedProposalIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  specId: Scalars['ID']['input'];
  /** Greater than every published version, e.g. 4.1. */
  version: Scalars['String']['input'];
};

export type ImportSpecVersionPayload = {
  __typename?: 'ImportSpecVersionPayload';
  /**
   * Nothing is stored when the file is malformed: then every problem is listed, each with code
   * (e.g. WRONG_FIELD_COUNT, UNKNOWN_CATEGORY), field `content` and a message starting `line N:`.
   * After a successful publication, a proposal that could not be marked incorporated is listed
   * with field `incorporatedProposalIds[i]`; the version stays published, and repeating the
   * mutation with the same commandId retries the marking.
   */
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
  spec: Maybe<Spec>;
  /** The published version (also when marking a proposal incorporated failed afterwards: see errors). */
  specVersion: Maybe<SpecVersion>;
};

export type Ladder = {
  __typename?: 'Ladder';
  /**
   * Set when read with `ladder(asOf:)`: the moment the ladder is shown as of (rebuilt from its events
   * up to then). Its status, current stage, stages (opened, closed, their rounds' outcomes) and
   * decision are those of that moment; a round of a stage still open then shows its outcome if its
   * consultation had closed by then (from the consultation's own events up to then). `proposal` and
   * each round's `consultation` are as they are now (read `consultation(id, asOf:)` for a round then).
   * Null when read now.
   */
  asOf: Maybe<Scalars['DateTime']['output']>;
  chosenAt: Scalars['DateTime']['output'];
  chosenByPersonId: Scalars['ID']['output'];
  citedStage: Maybe<Scalars['Int']['output']>;
  /** The open stage, or the next to open, or the national decision's once every round has closed; null once decided. */
  currentStage: Maybe<Scalars['Int']['output']>;
  decidedAt: Maybe<Scalars['DateTime']['output']>;
  decidedByPersonId: Maybe<Scalars['ID']['output']>;
  decision: Maybe<LadderDecision>;
  /** The proposal's id. */
  id: Scalars['ID']['output'];
  ownerOrganisationId: Scalars['ID']['output'];
  position: Scalars['Position']['output'];
  proposal: Maybe<Proposal>;
  proposalId: Scalars['ID']['output'];
  /** The revision put to the ladder: the national decision accepts or rejects it. */
  proposalRevision: Scalars['Int']['output'];
  rationale: Maybe<Scalars['String']['output']>;
  specId: Scalars['ID']['output'];
  stages: Array<LadderStage>;
  status: LadderStatus;
  streamVersion: Scalars['Int']['output'];
};

export type LadderChangedEvent = {
  __typename?: 'LadderChangedEvent';
  /** LadderChosen, LadderStageOpened, LadderStageClosed or LadderDecided. */
  change: Scalars['String']['output'];
  ladder: Maybe<Ladder>;
  ladderId: Scalars['ID']['output'];
  position: Scalars['Position']['output'];
};

export type LadderDecision = 'ACCEPT' | 'REJECT';

export type LadderPayload = {
  __typename?: 'LadderPayload';
  errors: Array<UserError>;
  ladder: Maybe<Ladder>;
  ladderId: Maybe<Scalars['ID']['output']>;
  /** Of the last event recorded (the stage's rounds opened, or the proposal decided). */
  position: Maybe<Scalars['Position']['output']>;
};

/** One round (consultation) of a stage; for the national decision, a round it cites. */
export type LadderRound = {
  __typename?: 'LadderRound';
  consultation: Maybe<Consultation>;
  consultationId: Scalars['ID']['output'];
  /** The outcome recorded when the stage closed, or the round's own once it has closed; null while open. */
  outcome: Maybe<Outcome>;
  /** For a prefectural round: the prefecture (its organisation id, e.g. 310000). */
  prefectureId: Maybe<Scalars['ID']['output']>;
};

/** How every round of a stage is run. */
export type LadderRoundRules = {
  __typename?: 'LadderRoundRules';
  blockVetoes: Scalars['Boolean']['output'];
  /** Each round closes this long after its stage opens. */
  durationSeconds: Scalars['Int']['output'];
  quorumPercent: Scalars['Int']['output'];
  resultsHidden: Scalars['Boolean']['output'];
  thresholdBasis: ThresholdBasis;
  thresholdPercent: Scalars['Int']['output'];
  weighting: Weighting;
};

export type LadderRoundRulesInput = {
  blockVetoes: Scalars['Boolean']['input'];
  /** Each round closes this many seconds after its stage opens (1 s to 366 days). */
  durationSeconds: Scalars['Int']['input'];
  /** With POPULATION weighting: a figure for every organisation of the stage's rounds. */
  populations?: InputMaybe<Array<PopulationFigure>>;
  quorumPercent: Scalars['Int']['input'];
  resultsHidden: Scalars['Boolean']['input'];
  thresholdBasis: ThresholdBasis;
  thresholdPercent: Scalars['Int']['input'];
  weighting?: InputMaybe<Weighting>;
};

export type LadderStage = {
  __typename?: 'LadderStage';
  closedAt: Maybe<Scalars['DateTime']['output']>;
  kind: LadderStageKind;
  openedAt: Maybe<Scalars['DateTime']['output']>;
  /** For PREFECTURAL_ROUNDS. */
  prefectureIds: Maybe<Array<Scalars['ID']['output']>>;
  rounds: Array<LadderRound>;
  /** Null for the national decision. */
  rules: Maybe<LadderRoundRules>;
  stage: Scalars['Int']['output'];
  status: LadderStageStatus;
};

export type LadderStageInput = {
  kind: LadderStageKind;
  /** For PREFECTURAL_ROUNDS: the prefectures by organisation id (e.g. 310000 鳥取県). */
  prefectureIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** For the two round kinds. */
  rules?: InputMaybe<LadderRoundRulesInput>;
};

export type LadderStageKind =
  /** The spec owner's decision; always the last stage. */
  | 'NATIONAL_DECISION'
  /** One round per named prefecture, for its active municipalities. */
  | 'PREFECTURAL_ROUNDS'
  /** One round of every active prefecture. */
  | 'PREFECTURES_ROUND';

export type LadderStageStatus =
  | 'CLOSED'
  /** The national decision, once recorded. */
  | 'DECIDED'
  | 'OPEN'
  /** Waiting for the stage before it. */
  | 'PENDING';

/**
 * A ratification ladder: the decision path of a submitted proposal, as numbered stages — for
 * example (1) one round per prefecture for its municipalities → (2) a round of the 47 prefectures,
 * each seeing its municipalities' result → (3) the national owner's decision, citing stage 2's
 * outcome with a rationale, which accepts or rejects the proposal.
 *
 * Chosen by a coordinator or admin of the spec's owner when the first stage opens. Each later round
 * stage opens by itself when the one before has closed (its rounds close by themselves at their
 * closing time), with the rules fixed when the ladder was chosen. One ladder per proposal: its id
 * is the proposal's id; a proposal on a ladder is decided only by the ladder's national decision.
 */
export type LadderStatus = 'DECIDED' | 'RUNNING';

export type LeaveTalentArrangementInput = {
  arrangementId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /** Default: the caller's own organisation (only its own approver takes it out). */
  organisationId?: InputMaybe<Scalars['ID']['input']>;
  reason: Scalars['String']['input'];
};

export type ListTalentProblemsInput = {
  arrangementId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /** Default: the caller's own organisation, a participant. */
  organisationId?: InputMaybe<Scalars['ID']['input']>;
  /** Its complete list (replaces the earlier one). */
  problems: Array<TalentProblemInput>;
};

/** One sentence in Japanese and in English. */
export type LocalizedText = {
  __typename?: 'LocalizedText';
  en: Scalars['String']['output'];
  ja: Scalars['String']['output'];
};

/**
 * An organisation (the grantor) lets another (the grantee, usually its prefecture) draft and approve
 * its stances, until `expiresAt` (exclusive) or until revoked. Stances cast under it stay as cast.
 * Seen by the grantor, the grantee, and national admins and coordinators.
 */
export type Mandate = {
  __typename?: 'Mandate';
  expiresAt: Scalars['DateTime']['output'];
  grantedAt: Scalars['DateTime']['output'];
  grantedByPersonId: Scalars['ID']['output'];
  granteeOrganisationId: Scalars['ID']['output'];
  grantorOrganisationId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  /** Position of the last event applied to this mandate. */
  position: Scalars['Position']['output'];
  revoked: Scalars['Boolean']['output'];
  revokedReason: Maybe<Scalars['String']['output']>;
  scope: MandateScope;
};

export type MandateScope = {
  __typename?: 'MandateScope';
  /** For CONSULTATION. */
  consultationId: Maybe<Scalars['ID']['output']>;
  /** For DOMAIN: a spec id such as juminkiroku. */
  domain: Maybe<Scalars['ID']['output']>;
  kind: MandateScopeKind;
};

/** Exactly one of the two. */
export type MandateScopeInput = {
  consultationId?: InputMaybe<Scalars['ID']['input']>;
  domain?: InputMaybe<Scalars['ID']['input']>;
};

/** What a mandate covers: one consultation, or every consultation on the specs of one domain. */
export type MandateScopeKind = 'CONSULTATION' | 'DOMAIN';

/**
 * What a row does to its comment's disposition: NEW (the comment had none), REVISED (it had another
 * code or answer; the earlier one is kept in its history), UNCHANGED (it is answered so already:
 * nothing is recorded — e.g. the same file imported again).
 */
export type MatrixDispositionChange = 'NEW' | 'REVISED' | 'UNCHANGED';

/** A row of the matrix answering one comment: its 対応区分 and 対応案. */
export type MatrixDispositionRow = {
  __typename?: 'MatrixDispositionRow';
  /** 対応案. */
  answer: Scalars['String']['output'];
  change: MatrixDispositionChange;
  /** 対応区分. */
  code: DispositionCode;
  /** The row's コメントID. */
  commentId: Scalars['ID']['output'];
  /** The code as the matrix writes it (対応する, …). */
  label: Scalars['String']['output'];
  /** The No column as written. */
  no: Maybe<Scalars['String']['output']>;
  /** The comment's disposition before this import; null when it had none. */
  previous: Maybe<MatrixPreviousDisposition>;
  /** The row as Excel numbers it. */
  row: Scalars['Int']['output'];
};

/** A comment's disposition as it stood before an import (its full history: Comment.dispositionHistory). */
export type MatrixPreviousDisposition = {
  __typename?: 'MatrixPreviousDisposition';
  answer: Scalars['String']['output'];
  code: DispositionCode;
  label: Scalars['String']['output'];
  revision: Scalars['Int']['output'];
};

/** A row without an answer (対応区分 and 対応案 empty): left as it is. */
export type MatrixUnansweredRow = {
  __typename?: 'MatrixUnansweredRow';
  /** Null for a row that carries no コメントID. */
  commentId: Maybe<Scalars['ID']['output']>;
  row: Scalars['Int']['output'];
};

/** The signed-in person, from the verified token. */
export type Me = {
  __typename?: 'Me';
  displayName: Scalars['String']['output'];
  organisation: Maybe<Organisation>;
  personId: Scalars['ID']['output'];
  roles: Array<Role>;
};

export type Member = {
  __typename?: 'Member';
  displayName: Scalars['String']['output'];
  email: Scalars['String']['output'];
  organisation: Organisation;
  personId: Scalars['ID']['output'];
  roles: Array<Role>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Accept a submitted proposal (a coordinator or admin of the spec's owner). */
  acceptProposal: AcceptProposalPayload;
  /** By a coordinator or admin of the proposer or the host: the checklist done, the terms agreed, the term begun. */
  activateTalentArrangement: TalentArrangementPayload;
  /** Add a person with roles to an organisation (its admin, or an admin of a national body). */
  addMember: AddMemberPayload;
  /** By a coordinator or admin of the proposer or the host. */
  addTalentCandidate: TalentArrangementPayload;
  /** By a coordinator or admin of the pool's prefecture. */
  addTalentPoolPerson: TalentPoolPayload;
  /** 決裁: the draft becomes its organisation's official stance (replacing any earlier one). */
  approveStance: ConsultationPayload;
  /** Replace a member's roles (its admin, or an admin of a national body). The person's live connections end: their token carries the old roles. */
  changeMemberRoles: ChangeMemberRolesPayload;
  /** By a coordinator or admin of the pool's prefecture; not below what the person is dispatched for from today on. */
  changeTalentPoolPersonCapacity: TalentPoolPayload;
  /** By the proposer's coordinator or admin, with a reason: a new version, earlier consents void. The same terms again change nothing. */
  changeTalentTerms: TalentArrangementPayload;
  /** Chooses the proposal's ladder and opens its first stage: a coordinator or admin of the spec's owner. */
  chooseLadder: LadderPayload;
  /** Early close by a coordinator of the opening organisation; due rounds are closed by the scheduler. */
  closeConsultation: ConsultationPayload;
  /** By a member or above of the proposer or the host. */
  completeTalentChecklistItem: TalentArrangementPayload;
  /** 決裁 by a participant's approver, to the current version; the last consent agrees the terms. */
  consentToTalentTerms: TalentArrangementPayload;
  /**
   * Signs a checkpoint of the log as it stands now (a national admin; periodic ones are signed by
   * themselves). Every event since the last checkpoint is checked first: AUDIT_FAILED (and the audit
   * marked failed) when one does not match, or while an earlier mismatch stands.
   */
  createAuditCheckpoint: AuditCheckpointPayload;
  /** Create a spec owned by the caller's organisation (an admin or coordinator of a national body). */
  createSpec: CreateSpecPayload;
  /** Deactivate an organisation (an admin of a national body). It keeps its history; its people's live connections end. */
  deactivateOrganisation: DeactivateOrganisationPayload;
  /** By a participant's approver, with a reason; a consent to the same version may follow. */
  declineTalentTerms: TalentArrangementPayload;
  /** 人材要件の定義: by the proposer's coordinator or admin, once every participant has listed its problems. */
  defineTalentRequirements: TalentArrangementPayload;
  /**
   * Embedded mode only: a token for one of the seeded demo users, by e-mail. Refused under OIDC
   * (and the embedded mode itself refuses to run in production).
   */
  demoLogin: DemoLoginPayload;
  /** By a coordinator or admin of the pool's prefecture, to a participant of an arrangement it hosts; over-allocation is refused (OVER_ALLOCATED). */
  dispatchTalentPoolPerson: TalentPoolPayload;
  /** Dispose a comment with a code and an answer (a coordinator of the spec's owner); a later disposition revises it. */
  disposeComment: DisposeCommentPayload;
  /** Draft a proposal against a published spec version (a member or above of any organisation but an observer); only your organisation sees it until submitted. */
  draftProposal: DraftProposalPayload;
  draftStance: ConsultationPayload;
  /** A new edition of your own comment. */
  editComment: EditCommentPayload;
  /** By a coordinator or admin of the proposer or the host; before the term's end date with a reason. */
  endTalentArrangement: TalentArrangementPayload;
  /** By a coordinator or admin of the pool's prefecture, with a reason: shortens a dispatch. */
  endTalentPoolDispatch: TalentPoolPayload;
  /** By an admin or approver of the caller's own organisation, the grantor. */
  grantMandate: GrantMandatePayload;
  /**
   * Imports a filled-in 意見照会 matrix as comments of the caller's organisation on a proposal
   * (a role other than viewer; the proposal visible to the caller). Every row is checked first;
   * nothing is stored unless every row is valid. A row naming another organisation in 団体 is a
   * problem: each organisation imports its own. Rows already carrying a コメントID are skipped.
   */
  importCommentMatrix: ImportCommentMatrixPayload;
  /**
   * Imports the secretariat's answers in a 意見照会 matrix exported from Kyogi — the 対応区分 and
   * 対応案 columns — as dispositions of the comments its rows name by コメントID (a coordinator of
   * the spec's owner organisation, as disposeComment). Every row is checked first and nothing is
   * stored unless every row is valid: an unknown 対応区分, a 対応案 left empty (every code needs
   * one), a コメントID that is no comment on this proposal, named twice, or of a retracted comment
   * are problems named by row and column. Rows without an answer are left as they are. Importing the
   * same file again records nothing (its rows are UNCHANGED).
   */
  importMatrixDispositions: ImportMatrixDispositionsPayload;
  /**
   * Publish a new version of a spec from a CSV or Markdown file (an admin or coordinator of the
   * spec's owner). A malformed file stores nothing and lists every problem with its line.
   */
  importSpecVersion: ImportSpecVersionPayload;
  /** By a participant's approver, with a reason: a new version without it. */
  leaveTalentArrangement: TalentArrangementPayload;
  /** 課題の特定: by a member or above of a participant, for itself, until the selection opens. */
  listTalentProblems: TalentArrangementPayload;
  openConsultation: ConsultationPayload;
  /** By a coordinator or admin of a prefecture: a pool of people it employs. */
  openTalentPool: TalentPoolPayload;
  /** 人材の選定 begins: by the proposer's coordinator or admin. */
  openTalentSelection: TalentArrangementPayload;
  /** Comment on a proposal change or a requirement, or reply to a comment (any role but viewer). */
  postComment: PostCommentPayload;
  /** By a coordinator or admin of a municipality among the participants, or of a prefecture (a participant or the prefecture of one). */
  proposeTalentArrangement: TalentArrangementPayload;
  /** Agree, disagree, or clear your reaction (null). */
  reactToComment: ReactToCommentPayload;
  /** The national decision: records it on the ladder and accepts or rejects the proposal. */
  recordLadderDecision: LadderPayload;
  /** Register an organisation (an admin of a national body only). */
  registerOrganisation: RegisterOrganisationPayload;
  /** Reject a submitted proposal (a coordinator or admin of the spec's owner). */
  rejectProposal: RejectProposalPayload;
  /** Retract your own comment: it stays, marked, and takes no more edits, reactions or dispositions. */
  retractComment: RetractCommentPayload;
  /** A new revision, replacing the changes (the author organisation, before a decision); earlier revisions are kept. */
  reviseProposal: ReviseProposalPayload;
  /** By an admin or approver of the grantor, with a reason; revoking again changes nothing. */
  revokeMandate: RevokeMandatePayload;
  /** By a coordinator or admin of the proposer or the host, with the current terms agreed: 受け入れ begins. */
  selectTalentCandidate: TalentArrangementPayload;
  /** By a coordinator or admin of the proposer or the host. */
  setTalentOnboardingChecklist: TalentArrangementPayload;
  /** Submit a draft: the author organisation's act (its approvers, coordinators or admins). */
  submitProposal: SubmitProposalPayload;
  /** Withdraw before a decision (the author organisation; its approvers and above once submitted). */
  withdrawProposal: WithdrawProposalPayload;
};

export type MutationAcceptProposalArgs = {
  input: DecideProposalInput;
};

export type MutationActivateTalentArrangementArgs = {
  input: ActivateTalentArrangementInput;
};

export type MutationAddMemberArgs = {
  input: AddMemberInput;
};

export type MutationAddTalentCandidateArgs = {
  input: AddTalentCandidateInput;
};

export type MutationAddTalentPoolPersonArgs = {
  input: AddTalentPoolPersonInput;
};

export type MutationApproveStanceArgs = {
  input: ApproveStanceInput;
};

export type MutationChangeMemberRolesArgs = {
  input: ChangeMemberRolesInput;
};

export type MutationChangeTalentPoolPersonCapacityArgs = {
  input: ChangeTalentPoolPersonCapacityInput;
};

export type MutationChangeTalentTermsArgs = {
  input: ChangeTalentTermsInput;
};

export type MutationChooseLadderArgs = {
  input: ChooseLadderInput;
};

export type MutationCloseConsultationArgs = {
  input: CloseConsultationInput;
};

export type MutationCompleteTalentChecklistItemArgs = {
  input: CompleteTalentChecklistItemInput;
};

export type MutationConsentToTalentTermsArgs = {
  input: ConsentToTalentTermsInput;
};

export type MutationCreateSpecArgs = {
  input: CreateSpecInput;
};

export type MutationDeactivateOrganisationArgs = {
  input: DeactivateOrganisationInput;
};

export type MutationDeclineTalentTermsArgs = {
  input: DeclineTalentTermsInput;
};

export type MutationDefineTalentRequirementsArgs = {
  input: DefineTalentRequirementsInput;
};

export type MutationDemoLoginArgs = {
  email: Scalars['String']['input'];
};

export type MutationDispatchTalentPoolPersonArgs = {
  input: DispatchTalentPoolPersonInput;
};

export type MutationDisposeCommentArgs = {
  input: DisposeCommentInput;
};

export type MutationDraftProposalArgs = {
  input: DraftProposalInput;
};

export type MutationDraftStanceArgs = {
  input: DraftStanceInput;
};

export type MutationEditCommentArgs = {
  input: EditCommentInput;
};

export type MutationEndTalentArrangementArgs = {
  input: EndTalentArrangementInput;
};

export type MutationEndTalentPoolDispatchArgs = {
  input: EndTalentPoolDispatchInput;
};

export type MutationGrantMandateArgs = {
  input: GrantMandateInput;
};

export type MutationImportCommentMatrixArgs = {
  input: ImportCommentMatrixInput;
};

export type MutationImportMatrixDispositionsArgs = {
  input: ImportMatrixDispositionsInput;
};

export type MutationImportSpecVersionArgs = {
  input: ImportSpecVersionInput;
};

export type MutationLeaveTalentArrangementArgs = {
  input: LeaveTalentArrangementInput;
};

export type MutationListTalentProblemsArgs = {
  input: ListTalentProblemsInput;
};

export type MutationOpenConsultationArgs = {
  input: OpenConsultationInput;
};

export type MutationOpenTalentPoolArgs = {
  input: OpenTalentPoolInput;
};

export type MutationOpenTalentSelectionArgs = {
  input: OpenTalentSelectionInput;
};

export type MutationPostCommentArgs = {
  input: PostCommentInput;
};

export type MutationProposeTalentArrangementArgs = {
  input: ProposeTalentArrangementInput;
};

export type MutationReactToCommentArgs = {
  input: ReactToCommentInput;
};

export type MutationRecordLadderDecisionArgs = {
  input: RecordLadderDecisionInput;
};

export type MutationRegisterOrganisationArgs = {
  input: RegisterOrganisationInput;
};

export type MutationRejectProposalArgs = {
  input: DecideProposalInput;
};

export type MutationRetractCommentArgs = {
  input: RetractCommentInput;
};

export type MutationReviseProposalArgs = {
  input: ReviseProposalInput;
};

export type MutationRevokeMandateArgs = {
  input: RevokeMandateInput;
};

export type MutationSelectTalentCandidateArgs = {
  input: SelectTalentCandidateInput;
};

export type MutationSetTalentOnboardingChecklistArgs = {
  input: SetTalentOnboardingChecklistInput;
};

export type MutationSubmitProposalArgs = {
  input: SubmitProposalInput;
};

export type MutationWithdrawProposalArgs = {
  input: WithdrawProposalInput;
};

/** An organisation of the electorate without an official stance yet. */
export type NonRespondent = {
  __typename?: 'NonRespondent';
  organisation: Maybe<Organisation>;
  organisationId: Scalars['ID']['output'];
  prefectureCode: Maybe<Scalars['String']['output']>;
  weight: Scalars['Float']['output'];
};

/** An organisation's current official stance. */
export type OfficialStance = {
  __typename?: 'OfficialStance';
  castAt: Scalars['DateTime']['output'];
  /** The organisation that cast it: the voter, or the grantee of a mandate. */
  castByOrganisationId: Scalars['ID']['output'];
  draftId: Scalars['ID']['output'];
  mandateId: Maybe<Scalars['ID']['output']>;
  organisationId: Scalars['ID']['output'];
  prefectureCode: Maybe<Scalars['String']['output']>;
  reason: Maybe<Scalars['String']['output']>;
  stance: StanceKind;
  weight: Scalars['Float']['output'];
};

/** The identity provider a browser signs in with: discovery at <issuer>/.well-known/openid-configuration. */
export type OidcSignIn = {
  __typename?: 'OidcSignIn';
  /** The web client's public client id at the issuer. */
  clientId: Scalars['String']['output'];
  /** The issuer (the tokens' iss). */
  issuer: Scalars['String']['output'];
  /** The scopes to ask for, openid among them. */
  scopes: Array<Scalars['String']['output']>;
};

export type OpenConsultationInput = {
  blockVetoes: Scalars['Boolean']['input'];
  closesAt: Scalars['DateTime']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  electorate: ElectorateInput;
  /** Default: derived from commandId. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** With POPULATION weighting: a figure for every organisation of the electorate. */
  populations?: InputMaybe<Array<PopulationFigure>>;
  proposalId: Scalars['ID']['input'];
  quorumPercent: Scalars['Int']['input'];
  resultsHidden: Scalars['Boolean']['input'];
  thresholdBasis: ThresholdBasis;
  thresholdPercent: Scalars['Int']['input'];
  weighting?: InputMaybe<Weighting>;
};

export type OpenTalentPoolInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /** Default: derived from commandId. */
  id?: InputMaybe<Scalars['ID']['input']>;
  name: Scalars['String']['input'];
};

export type OpenTalentSelectionInput = {
  arrangementId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
};

/** 団体: a national body, prefecture or municipality; vendors and observers may comment but not vote. */
export type Organisation = {
  __typename?: 'Organisation';
  /** false for bodies that exist in law but do not act (the Northern Territories villages). */
  active: Scalars['Boolean']['output'];
  /**
   * Set when read with `organisation(asOf:)`: the moment the organisation is shown as of (rebuilt
   * from its events up to then). Its name, kind, codes, population, `active`, `memberCount` and
   * `members` — who belonged, with which roles (who could approve 決裁 on that date), under the same
   * rule as now (its own people, national admins and coordinators) — are those of that moment; a
   * member's name and e-mail are as given when added. `prefecture` is the prefecture as it is now.
   * Null when read now.
   */
  asOf: Maybe<Scalars['DateTime']['output']>;
  /** 全国地方公共団体コード (6 digits, the last a check digit) of a prefecture or municipality. */
  code: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  kind: OrganisationKind;
  memberCount: Scalars['Int']['output'];
  /** Personal data: for the organisation's own people and national admins or coordinators; FORBIDDEN (null) for others. */
  members: Maybe<Array<Member>>;
  name: Scalars['String']['output'];
  nameKana: Maybe<Scalars['String']['output']>;
  population: Maybe<Scalars['Int']['output']>;
  /** A municipality's prefecture. */
  prefecture: Maybe<Organisation>;
  /** JIS X 0401 prefecture number (2 digits). */
  prefectureCode: Maybe<Scalars['String']['output']>;
  registeredAt: Scalars['DateTime']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** The revision of the organisation's stream: changes with every event. */
  version: Scalars['Int']['output'];
};

export type OrganisationActivityConnection = {
  __typename?: 'OrganisationActivityConnection';
  /** Newest first. Entries of entities you may not see (another organisation's draft) are left out, so a page may be shorter than `first`. */
  edges: Array<HistoryEdge>;
  organisation: Maybe<Organisation>;
  organisationId: Scalars['ID']['output'];
  pageInfo: PageInfo;
};

export type OrganisationChange = {
  __typename?: 'OrganisationChange';
  /** The event type: OrganisationRegistered, MemberAdded, MemberRolesChanged, OrganisationDeactivated. */
  change: Scalars['String']['output'];
  /** The organisation as it is after the change. */
  organisation: Maybe<Organisation>;
  organisationId: Scalars['ID']['output'];
  position: Scalars['Position']['output'];
};

export type OrganisationConnection = {
  __typename?: 'OrganisationConnection';
  edges: Array<OrganisationEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type OrganisationEdge = {
  __typename?: 'OrganisationEdge';
  cursor: Scalars['String']['output'];
  node: Organisation;
};

export type OrganisationKind = 'MUNICIPALITY' | 'NATIONAL' | 'OBSERVER' | 'PREFECTURE' | 'VENDOR';

export type OrganisationReactions = {
  __typename?: 'OrganisationReactions';
  agree: Scalars['Int']['output'];
  disagree: Scalars['Int']['output'];
  organisation: Maybe<Organisation>;
  organisationId: Scalars['ID']['output'];
};

export type Outcome = {
  __typename?: 'Outcome';
  blocked: Scalars['Boolean']['output'];
  passed: Scalars['Boolean']['output'];
  quorumMet: Scalars['Boolean']['output'];
  thresholdMet: Scalars['Boolean']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type PersonReaction = {
  __typename?: 'PersonReaction';
  organisationId: Scalars['ID']['output'];
  personId: Scalars['ID']['output'];
  reaction: Reaction;
};

export type PopulationFigure = {
  organisationId: Scalars['ID']['input'];
  population: Scalars['Float']['input'];
};

export type PostCommentInput = {
  anchor: CommentAnchorInput;
  body: Scalars['String']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /** Default: derived from commandId (a ULID). */
  commentId?: InputMaybe<Scalars['ID']['input']>;
  /** Reply to this comment (same proposal, version and anchor). */
  parentCommentId?: InputMaybe<Scalars['ID']['input']>;
  /** The proposal commented on; null for a requirement of the spec version itself (then specId and specVersion are required). */
  proposalId?: InputMaybe<Scalars['ID']['input']>;
  quote?: InputMaybe<CommentQuoteInput>;
  /** Default: the proposal's. */
  specId?: InputMaybe<Scalars['ID']['input']>;
  /** Default: the proposal's. */
  specVersion?: InputMaybe<Scalars['String']['input']>;
};

export type PostCommentPayload = {
  __typename?: 'PostCommentPayload';
  comment: Maybe<Comment>;
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
};

/**
 * A change proposal (修文案) against one published spec version. Visible to everyone with a role
 * once submitted; before that (a draft, or a draft withdrawn unsubmitted) only to its author
 * organisation — to anyone else it does not exist.
 */
export type Proposal = {
  __typename?: 'Proposal';
  /**
   * Set when read with `proposal(asOf:)`: the moment the proposal is shown as of (rebuilt from its
   * events up to then). Its status, title, `changes`, `revisions`, `revision` and `diff` are those of
   * that moment; `comments`, `ladder`, `spec` and `authorOrganisation` are as they are now. Null when
   * read now.
   */
  asOf: Maybe<Scalars['DateTime']['output']>;
  authorOrganisation: Maybe<Organisation>;
  authorOrganisationId: Scalars['ID']['output'];
  authorPersonId: Scalars['ID']['output'];
  /** The current revision's changes. */
  changes: Array<ProposalChange>;
  /**
   * The comment threads: top-level comments (oldest first) with their replies, optionally only
   * those anchored to one change or one requirement.
   */
  comments: Array<Comment>;
  /** 1 when drafted, +1 per revision. */
  currentRevision: Scalars['Int']['output'];
  decision: Maybe<ProposalDecision>;
  /**
   * A revision (default: the current one) as a diff: without `against`, each of its changes against
   * the base text of the spec version; with `against`, against that other revision of this proposal.
   * A revision that does not exist is an error REVISION_NOT_FOUND.
   */
  diff: ProposalDiff;
  draftedAt: Scalars['DateTime']['output'];
  /** Submitted at some point (a later withdrawal does not hide it again). */
  everSubmitted: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  incorporatedAt: Maybe<Scalars['DateTime']['output']>;
  /** The spec version that incorporated it. */
  incorporatedInVersion: Maybe<Scalars['String']['output']>;
  /** Its ratification ladder, once chosen. */
  ladder: Maybe<Ladder>;
  /** The position of the last event the proposal shows. */
  position: Scalars['Position']['output'];
  /** One revision by number (null when there is none). */
  revision: Maybe<ProposalRevision>;
  /** Every revision, oldest first. */
  revisions: Array<ProposalRevision>;
  /** The standard specification it proposes to change. */
  spec: Maybe<Spec>;
  specId: Scalars['ID']['output'];
  /** The published version it changes, e.g. 4.0. */
  specVersion: Scalars['String']['output'];
  status: ProposalStatus;
  /** The revision of the proposal's stream: changes with every event. */
  streamVersion: Scalars['Int']['output'];
  submittedAt: Maybe<Scalars['DateTime']['output']>;
  submittedRevision: Maybe<Scalars['Int']['output']>;
  /** The current revision's title. */
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  withdrawal: Maybe<ProposalWithdrawal>;
};

/**
 * A change proposal (修文案) against one published spec version. Visible to everyone with a role
 * once submitted; before that (a draft, or a draft withdrawn unsubmitted) only to its author
 * organisation — to anyone else it does not exist.
 */
export type ProposalCommentsArgs = {
  changeId: InputMaybe<Scalars['ID']['input']>;
  requirementId: InputMaybe<Scalars['String']['input']>;
};

/**
 * A change proposal (修文案) against one published spec version. Visible to everyone with a role
 * once submitted; before that (a draft, or a draft withdrawn unsubmitted) only to its author
 * organisation — to anyone else it does not exist.
 */
export type ProposalDiffArgs = {
  against: InputMaybe<Scalars['Int']['input']>;
  revision: InputMaybe<Scalars['Int']['input']>;
};

/**
 * A change proposal (修文案) against one published spec version. Visible to everyone with a role
 * once submitted; before that (a draft, or a draft withdrawn unsubmitted) only to its author
 * organisation — to anyone else it does not exist.
 */
export type ProposalRevisionArgs = {
  n: Scalars['Int']['input'];
};

/** One change of a proposal: one requirement, its text before (from the spec version) and after, and why. */
export type ProposalChange = {
  __typename?: 'ProposalChange';
  /** 修文案: the proposed text; null for DELETE. */
  after: Maybe<Scalars['String']['output']>;
  /** 修正前の文: the requirement's text in the base version (never from the client); null for ADD. */
  before: Maybe<Scalars['String']['output']>;
  /** Unique within the proposal and kept across revisions (comments are anchored to it). */
  changeId: Scalars['ID']['output'];
  kind: ChangeKind;
  /** 理由. */
  reason: Scalars['String']['output'];
  requirementId: Scalars['String']['output'];
  /** 該当項目: the requirement's title in the base version; null for ADD. */
  requirementTitle: Maybe<Scalars['String']['output']>;
};

export type ProposalChangeInput = {
  /** The proposed text; omit (null) for DELETE. */
  after?: InputMaybe<Scalars['String']['input']>;
  /** Keep it across revisions so that comments stay attached; default: derived from requirementId (2.1.3 → 2_1_3). */
  changeId?: InputMaybe<Scalars['ID']['input']>;
  kind: ChangeKind;
  reason: Scalars['String']['input'];
  requirementId: Scalars['String']['input'];
};

export type ProposalChangedEvent = {
  __typename?: 'ProposalChangedEvent';
  /** The event type: ProposalDrafted, ProposalRevised, ProposalSubmitted, ProposalWithdrawn, ProposalAccepted, ProposalRejected, ProposalIncorporated. */
  change: Scalars['String']['output'];
  position: Scalars['Position']['output'];
  /** The proposal as it is after the change. */
  proposal: Maybe<Proposal>;
  proposalId: Scalars['ID']['output'];
};

export type ProposalConnection = {
  __typename?: 'ProposalConnection';
  edges: Array<ProposalEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/** The spec owner's decision. */
export type ProposalDecision = {
  __typename?: 'ProposalDecision';
  decidedAt: Scalars['DateTime']['output'];
  decidedByPersonId: Scalars['ID']['output'];
  outcome: ProposalOutcome;
  rationale: Scalars['String']['output'];
  /** The revision decided on. */
  revision: Scalars['Int']['output'];
};

export type ProposalDiff = {
  __typename?: 'ProposalDiff';
  /** Null: against the base text of the spec version. */
  against: Maybe<Scalars['Int']['output']>;
  /** Without `against`: every change of the revision, base text → proposed text. Empty otherwise. */
  changes: Array<ChangeDiff>;
  /** With `against`: per requirement (in requirement-id order), revision `against` → revision `revision`. Empty otherwise. */
  requirements: Array<RequirementRevisionDiff>;
  revision: Scalars['Int']['output'];
};

export type ProposalEdge = {
  __typename?: 'ProposalEdge';
  cursor: Scalars['String']['output'];
  node: Proposal;
};

export type ProposalOutcome = 'ACCEPTED' | 'REJECTED';

/** One revision of a proposal: revision 1 is the draft; every later revision is kept. */
export type ProposalRevision = {
  __typename?: 'ProposalRevision';
  changes: Array<ProposalChange>;
  proposalId: Scalars['ID']['output'];
  revisedAt: Scalars['DateTime']['output'];
  revisedByPersonId: Scalars['ID']['output'];
  revision: Scalars['Int']['output'];
  title: Scalars['String']['output'];
};

/**
 * Where a proposal (修文案) stands:
 * drafted → submitted → accepted or rejected (by the spec owner), accepted → incorporated (into a
 * later version, by its import); withdrawn by the author organisation before a decision.
 */
export type ProposalStatus = 'ACCEPTED' | 'DRAFTED' | 'INCORPORATED' | 'REJECTED' | 'SUBMITTED' | 'WITHDRAWN';

export type ProposalWithdrawal = {
  __typename?: 'ProposalWithdrawal';
  reason: Scalars['String']['output'];
  withdrawnAt: Scalars['DateTime']['output'];
  withdrawnByPersonId: Scalars['ID']['output'];
};

export type ProposeTalentArrangementInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /** Default: derived from commandId. */
  id?: InputMaybe<Scalars['ID']['input']>;
  role: Scalars['String']['input'];
  skills: Array<Scalars['String']['input']>;
  terms: TalentTermsInput;
};

export type Query = {
  __typename?: 'Query';
  /** The latest signed checkpoints, newest first. */
  auditCheckpoints: Array<AuditCheckpoint>;
  /** Every key the platform signed checkpoints with (also at /.well-known/kyogi-checkpoint-keys.json). */
  auditKeys: Array<AuditKey>;
  /** Whether the audit log verifies, as last found (see AuditStatus). */
  auditStatus: AuditStatus;
  /** One comment; null when it does not exist or is on another organisation's draft. */
  comment: Maybe<Comment>;
  /** The comment threads on one requirement of a spec version itself (not on a proposal), oldest first. */
  commentsOnRequirement: Array<Comment>;
  /**
   * One consultation. With `asOf`: as it stood at that moment, rebuilt from its events up to then
   * (see Consultation.asOf in history.graphql); null when it had not been opened yet.
   */
  consultation: Maybe<Consultation>;
  /** Newest first. */
  consultations: ConsultationConnection;
  /**
   * The full history of one entity (its event stream), oldest first: `first` 1–200 entries after the
   * revision `after` (a previous page's endCursor), optionally only those by one organisation or one
   * person, or of some event types (unknown types: UNKNOWN_EVENT_TYPE). NOT_FOUND for an entity that
   * does not exist or that you may not see.
   */
  history: HistoryConnection;
  /**
   * A ladder by its id (the proposal's id). With `asOf`: as it stood at that moment, rebuilt from its
   * events up to then (see Ladder.asOf in history.graphql); null when it had not been chosen yet.
   */
  ladder: Maybe<Ladder>;
  /**
   * Mandates the caller may see (those its organisation granted or holds; all of them for national
   * admins and coordinators), oldest first. `activeAt`: only those valid at that instant — granted
   * at or before it, not revoked, and expiring after it.
   */
  mandates: Array<Mandate>;
  me: Maybe<Me>;
  /**
   * One organisation by id or by 全国地方公共団体コード. With `asOf`: as it stood at that moment,
   * rebuilt from its events up to then (see Organisation.asOf in history.graphql); null when it had
   * not been registered yet.
   */
  organisation: Maybe<Organisation>;
  /**
   * What one organisation did, across everything (events whose actor organisation it is), newest
   * first: `first` 1–200 after `after` (a previous page's endCursor). For the organisation's own
   * people and national admins and coordinators (FORBIDDEN for others); every entry follows the
   * history's rules above.
   */
  organisationActivity: OrganisationActivityConnection;
  /**
   * Organisations, ordered by kind (national, prefectures, municipalities, vendors, observers) and
   * code. `search` matches the name or its kana; inactive ones only with includeInactive.
   */
  organisations: OrganisationConnection;
  /**
   * One proposal; null when it does not exist or is another organisation's draft. With `asOf`: as it
   * stood at that moment, rebuilt from its events up to then (see Proposal.asOf in history.graphql);
   * null when it had not been drafted yet.
   */
  proposal: Maybe<Proposal>;
  /**
   * Proposals, newest first. Drafts of other organisations are never listed. `search` matches the
   * title, requirement ids and titles, proposed texts and reasons of the current revision (a
   * substring, ignoring case). `first` 1–200.
   */
  proposals: ProposalConnection;
  requirement: Maybe<Requirement>;
  /**
   * The security log, newest first (national admins): `first` 1–200; `organisationId` matches the
   * organisation that tried or the one its input named.
   */
  securityRefusals: SecurityRefusalConnection;
  serverInfo: ServerInfo;
  /**
   * One spec. With `asOf`: as it stood at that moment, rebuilt from its events up to then (see
   * Spec.asOf in history.graphql); null when it had not been created yet.
   */
  spec: Maybe<Spec>;
  /** One published version of a spec (the exact version string: `4` is not `4.0`). */
  specVersion: Maybe<SpecVersion>;
  /**
   * Specs ordered by id. `domain` and `ownerOrganisationId` match exactly; `search` matches the id,
   * the title or the domain (a substring, ignoring case). `first` 1–200.
   */
  specs: SpecConnection;
  /**
   * One arrangement. With `asOf`: as it stood at that moment, rebuilt from its events up to then (see
   * TalentArrangement.asOf in history.graphql); null when it had not been proposed yet.
   */
  talentArrangement: Maybe<TalentArrangement>;
  /**
   * Newest first. `participantOrganisationId`: arrangements whose current terms include it;
   * `prefectureCode` (2 digits): arrangements whose proposer or a current participant is of that prefecture.
   */
  talentArrangements: TalentArrangementConnection;
  /** What each participant would pay under a rule, computed as an arrangement would be; creates nothing. */
  talentCostCalculation: TalentCostCalculationPayload;
  /**
   * One pool. With `asOf`: as it stood at that moment, rebuilt from its events up to then (see
   * TalentPool.asOf in history.graphql); null when it had not been opened yet.
   */
  talentPool: Maybe<TalentPool>;
  /** Oldest first; optionally of one prefecture (its organisation id). */
  talentPools: Array<TalentPool>;
  /** Verifies the whole log: every stream's hash chain, and the latest checkpoint's signature, chain and Merkle root. */
  verifyAuditLog: AuditVerification;
};

export type QueryAuditCheckpointsArgs = {
  last?: InputMaybe<Scalars['Int']['input']>;
};

export type QueryCommentArgs = {
  id: Scalars['ID']['input'];
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryCommentsOnRequirementArgs = {
  requirementId: Scalars['String']['input'];
  specId: Scalars['ID']['input'];
  version: Scalars['String']['input'];
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryConsultationArgs = {
  asOf: InputMaybe<Scalars['DateTime']['input']>;
  id: Scalars['ID']['input'];
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryConsultationsArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  proposalId: InputMaybe<Scalars['ID']['input']>;
  status: InputMaybe<ConsultationStatus>;
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryHistoryArgs = {
  actorOrganisationId: InputMaybe<Scalars['ID']['input']>;
  actorPersonId: InputMaybe<Scalars['ID']['input']>;
  after: InputMaybe<Scalars['String']['input']>;
  entity: HistoryEntityKind;
  first?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  types: InputMaybe<Array<Scalars['String']['input']>>;
};

export type QueryLadderArgs = {
  asOf: InputMaybe<Scalars['DateTime']['input']>;
  id: Scalars['ID']['input'];
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryMandatesArgs = {
  activeAt: InputMaybe<Scalars['DateTime']['input']>;
  granteeOrganisationId: InputMaybe<Scalars['ID']['input']>;
  grantorOrganisationId: InputMaybe<Scalars['ID']['input']>;
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryOrganisationArgs = {
  asOf: InputMaybe<Scalars['DateTime']['input']>;
  code: InputMaybe<Scalars['String']['input']>;
  id: InputMaybe<Scalars['ID']['input']>;
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryOrganisationActivityArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  organisationId: Scalars['ID']['input'];
  types: InputMaybe<Array<Scalars['String']['input']>>;
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryOrganisationsArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  includeInactive?: InputMaybe<Scalars['Boolean']['input']>;
  kind: InputMaybe<OrganisationKind>;
  prefectureCode: InputMaybe<Scalars['String']['input']>;
  search: InputMaybe<Scalars['String']['input']>;
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryProposalArgs = {
  asOf: InputMaybe<Scalars['DateTime']['input']>;
  id: Scalars['ID']['input'];
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryProposalsArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  authorOrganisationId: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search: InputMaybe<Scalars['String']['input']>;
  specId: InputMaybe<Scalars['ID']['input']>;
  specVersion: InputMaybe<Scalars['String']['input']>;
  status: InputMaybe<Array<ProposalStatus>>;
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryRequirementArgs = {
  requirementId: Scalars['ID']['input'];
  specId: Scalars['ID']['input'];
  version: Scalars['String']['input'];
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QuerySecurityRefusalsArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  organisationId: InputMaybe<Scalars['ID']['input']>;
};

export type QuerySpecArgs = {
  asOf: InputMaybe<Scalars['DateTime']['input']>;
  id: Scalars['ID']['input'];
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QuerySpecVersionArgs = {
  specId: Scalars['ID']['input'];
  version: Scalars['String']['input'];
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QuerySpecsArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  domain: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  ownerOrganisationId: InputMaybe<Scalars['ID']['input']>;
  search: InputMaybe<Scalars['String']['input']>;
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryTalentArrangementArgs = {
  asOf: InputMaybe<Scalars['DateTime']['input']>;
  id: Scalars['ID']['input'];
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryTalentArrangementsArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  participantOrganisationId: InputMaybe<Scalars['ID']['input']>;
  phase: InputMaybe<TalentPhase>;
  prefectureCode: InputMaybe<Scalars['String']['input']>;
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryTalentCostCalculationArgs = {
  input: TalentCostCalculationInput;
};

export type QueryTalentPoolArgs = {
  asOf: InputMaybe<Scalars['DateTime']['input']>;
  id: Scalars['ID']['input'];
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type QueryTalentPoolsArgs = {
  prefectureOrganisationId: InputMaybe<Scalars['ID']['input']>;
  waitFor: InputMaybe<Scalars['Position']['input']>;
};

export type ReactToCommentInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  commentId: Scalars['ID']['input'];
  /** Null clears your reaction. */
  reaction?: InputMaybe<Reaction>;
};

export type ReactToCommentPayload = {
  __typename?: 'ReactToCommentPayload';
  comment: Maybe<Comment>;
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
};

export type Reaction = 'AGREE' | 'DISAGREE';

/** Current reactions: each person counts once, with their latest reaction. */
export type ReactionTotals = {
  __typename?: 'ReactionTotals';
  agree: Scalars['Int']['output'];
  /** Organisations with at least one current reaction, by organisation id. */
  byOrganisation: Array<OrganisationReactions>;
  /** Each person's current reaction, by person id. */
  byPerson: Array<PersonReaction>;
  disagree: Scalars['Int']['output'];
};

export type RecordLadderDecisionInput = {
  /** …and exactly its recorded outcomes (CITATION_MISMATCH otherwise). */
  citedOutcomes: Array<RoundOutcomeInput>;
  /** The last round stage, which the decision cites… */
  citedStage: Scalars['Int']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  decision: LadderDecision;
  ladderId: Scalars['ID']['input'];
  rationale: Scalars['String']['input'];
};

export type RegisterOrganisationInput = {
  code?: InputMaybe<Scalars['String']['input']>;
  /** Makes a retry idempotent: the same commandId never registers twice. */
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /** Required for vendors, observers and national bodies (a slug such as `digital-agency`); prefectures and municipalities use their code. */
  id?: InputMaybe<Scalars['ID']['input']>;
  kind: OrganisationKind;
  name: Scalars['String']['input'];
  nameKana?: InputMaybe<Scalars['String']['input']>;
  population?: InputMaybe<Scalars['Int']['input']>;
};

export type RegisterOrganisationPayload = {
  __typename?: 'RegisterOrganisationPayload';
  errors: Array<UserError>;
  organisation: Maybe<Organisation>;
  position: Maybe<Scalars['Position']['output']>;
};

export type RejectProposalPayload = {
  __typename?: 'RejectProposalPayload';
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
  proposal: Maybe<Proposal>;
};

export type Requirement = {
  __typename?: 'Requirement';
  category: RequirementCategory;
  /** The category as the document writes it: 実装必須, 標準オプション or 実装不可. */
  categoryLabel: Scalars['String']['output'];
  /** Place in the document, from 1. */
  ordinal: Scalars['Int']['output'];
  /** Stable across versions, e.g. 2.1.3; unique within a version. */
  requirementId: Scalars['ID']['output'];
  specId: Scalars['ID']['output'];
  /** As written (line breaks as \n). */
  text: Scalars['String']['output'];
  title: Scalars['String']['output'];
  version: Scalars['String']['output'];
};

/**
 * A requirement's category in the 標準仕様書 (a fixed list: a new one is a change to the events and
 * to this enum). `categoryLabel` on Requirement gives the Japanese term.
 */
export type RequirementCategory =
  /** 実装必須: every conforming system implements it. */
  | 'MANDATORY'
  /** 実装不可: must not be implemented. */
  | 'PROHIBITED'
  /** 標準オプション: a standard option, implemented or not, but only as specified. */
  | 'STANDARD_OPTION';

export type RequirementConnection = {
  __typename?: 'RequirementConnection';
  edges: Array<RequirementEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type RequirementEdge = {
  __typename?: 'RequirementEdge';
  cursor: Scalars['String']['output'];
  node: Requirement;
};

/** One requirement across two revisions: from the earlier revision's proposed text to the later's (a missing change or a DELETE proposes the empty text). */
export type RequirementRevisionDiff = {
  __typename?: 'RequirementRevisionDiff';
  /** The change in revision `against`; null when it does not touch the requirement. */
  fromChange: Maybe<ProposalChange>;
  kindChanged: Scalars['Boolean']['output'];
  requirementId: Scalars['String']['output'];
  segments: Array<DiffSegment>;
  status: RevisionDiffStatus;
  /** The change in revision `revision`; null when it does not touch the requirement. */
  toChange: Maybe<ProposalChange>;
};

export type RetractCommentInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  commentId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};

export type RetractCommentPayload = {
  __typename?: 'RetractCommentPayload';
  comment: Maybe<Comment>;
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
};

export type ReviseProposalInput = {
  /** The complete new list of changes, not a delta. */
  changes: Array<ProposalChangeInput>;
  commandId?: InputMaybe<Scalars['ID']['input']>;
  proposalId: Scalars['ID']['input'];
  title: Scalars['String']['input'];
};

export type ReviseProposalPayload = {
  __typename?: 'ReviseProposalPayload';
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
  proposal: Maybe<Proposal>;
};

export type RevisionDiffStatus =
  /** Only the later revision changes the requirement. */
  | 'ADDED'
  /** Both do, with a different kind or text. */
  | 'MODIFIED'
  /** Only the earlier revision changes it. */
  | 'REMOVED'
  /** Both do, the same way. */
  | 'UNCHANGED';

export type RevokeMandateInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  mandateId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};

export type RevokeMandatePayload = {
  __typename?: 'RevokeMandatePayload';
  errors: Array<UserError>;
  mandate: Maybe<Mandate>;
  position: Maybe<Scalars['Position']['output']>;
};

export type Role = 'ADMIN' | 'APPROVER' | 'COORDINATOR' | 'MEMBER' | 'VIEWER';

/** The outcome of one round as the person deciding read it. */
export type RoundOutcomeInput = {
  blocked: Scalars['Boolean']['input'];
  consultationId: Scalars['ID']['input'];
  passed: Scalars['Boolean']['input'];
  quorumMet: Scalars['Boolean']['input'];
  thresholdMet: Scalars['Boolean']['input'];
};

/**
 * A refused attempt, from the security log (not the event log: a refusal changes nothing). Above all
 * an organisation's member acting for another organisation; every FORBIDDEN answer is recorded.
 */
export type SecurityRefusal = {
  __typename?: 'SecurityRefusal';
  at: Scalars['DateTime']['output'];
  /** The client's address as the api saw it (the proxy's, unless it forwards it). */
  clientAddress: Maybe<Scalars['String']['output']>;
  code: Scalars['String']['output'];
  /** The input field the refusal names, e.g. organisationId. */
  field: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  message: Scalars['String']['output'];
  /** The GraphQL field refused, e.g. Mutation.draftStance or Query.auditCheckpoints. */
  operation: Scalars['String']['output'];
  organisationId: Maybe<Scalars['ID']['output']>;
  /** The caller; null when there was no valid token. */
  personId: Maybe<Scalars['ID']['output']>;
  roles: Array<Scalars['String']['output']>;
  /** The other organisation the input named, when it named one. */
  targetOrganisationId: Maybe<Scalars['ID']['output']>;
};

export type SecurityRefusalConnection = {
  __typename?: 'SecurityRefusalConnection';
  /** Pass as `after` for the next (older) page. */
  endCursor: Maybe<Scalars['String']['output']>;
  /** Newest first. */
  entries: Array<SecurityRefusal>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type SelectTalentCandidateInput = {
  arrangementId: Scalars['ID']['input'];
  candidateId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
};

export type ServerInfo = {
  __typename?: 'ServerInfo';
  /** How this instance authenticates: EMBEDDED (local demo issuer) or OIDC. */
  authMode: Scalars['String']['output'];
  /** Embedded mode with seeded demo data: the demo users a sign-in page offers (demoLogin). Empty under OIDC. */
  demoUsers: Array<DemoUser>;
  /**
   * OIDC mode with a web client configured (OIDC_WEB_CLIENT_ID): what a browser needs to sign in
   * through the identity provider (authorization code with PKCE). Null otherwise.
   */
  oidcSignIn: Maybe<OidcSignIn>;
  /** The position the read models have reached on this instance. */
  readModelPosition: Scalars['Position']['output'];
};

export type SetTalentOnboardingChecklistInput = {
  arrangementId: Scalars['ID']['input'];
  commandId?: InputMaybe<Scalars['ID']['input']>;
  /** The complete checklist (items kept by id stay done). */
  items: Array<TalentChecklistItemInput>;
};

/** A standard specification (標準仕様書), owned by a national body, with numbered versions. */
export type Spec = {
  __typename?: 'Spec';
  /**
   * Set when read with `spec(asOf:)`: the moment the spec is shown as of (rebuilt from its events up
   * to then). `versions` and `latestVersion` are the versions published by then; a published version
   * never changes, so their requirements are those of that moment too. `ownerOrganisation` and each
   * version's `spec` are as they are now. Null when read now.
   */
  asOf: Maybe<Scalars['DateTime']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** Business domain, free text: 住民記録, 税務, 福祉, … */
  domain: Scalars['String']['output'];
  /** A slug such as `juminkiroku`. */
  id: Scalars['ID']['output'];
  /** The newest published version; null until one is published. */
  latestVersion: Maybe<SpecVersion>;
  /** The national body that publishes its versions and decides on proposals. */
  ownerOrganisation: Maybe<Organisation>;
  ownerOrganisationId: Scalars['ID']['output'];
  /** The revision of the spec's stream: changes with every event (not a spec version). */
  revision: Scalars['Int']['output'];
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Every published version, oldest first (publication order is ascending version order). */
  versions: Array<SpecVersion>;
};

export type SpecChange = {
  __typename?: 'SpecChange';
  /** The event type: SpecCreated or SpecVersionPublished. */
  change: Scalars['String']['output'];
  position: Scalars['Position']['output'];
  /** The spec as it is after the change. */
  spec: Maybe<Spec>;
  specId: Scalars['ID']['output'];
};

export type SpecConnection = {
  __typename?: 'SpecConnection';
  edges: Array<SpecEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type SpecEdge = {
  __typename?: 'SpecEdge';
  cursor: Scalars['String']['output'];
  node: Spec;
};

export type SpecImportFormat =
  /**
   * One requirement per row after a header row: columns 要件ID (or id), 要件名 (title), 要件 (text),
   * 区分 (category), in any order; other columns are ignored. UTF-8, a BOM is fine.
   */
  | 'CSV'
  /** One requirement per heading: `### 2.1.3 住民票の写しの交付`, then `区分: 実装必須`, then the text. */
  | 'MARKDOWN';

/** A published version: a list of requirements that never changes. */
export type SpecVersion = {
  __typename?: 'SpecVersion';
  /** The accepted proposals this version incorporates. */
  incorporatedProposalIds: Array<Scalars['ID']['output']>;
  publishedAt: Scalars['DateTime']['output'];
  /** One requirement of this version by its id. */
  requirement: Maybe<Requirement>;
  requirementCount: Scalars['Int']['output'];
  /**
   * The requirements in document order. `search` matches the requirement id, the title or the text
   * (a substring, ignoring case); `category` keeps one category. Paged by `first` (1–200) and
   * `after` (an endCursor of an earlier page).
   */
  requirements: RequirementConnection;
  spec: Spec;
  specId: Scalars['ID']['output'];
  /** Digits and dots, e.g. 4.0. */
  version: Scalars['String']['output'];
};

/** A published version: a list of requirements that never changes. */
export type SpecVersionRequirementArgs = {
  requirementId: Scalars['ID']['input'];
};

/** A published version: a list of requirements that never changes. */
export type SpecVersionRequirementsArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  category: InputMaybe<RequirementCategory>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search: InputMaybe<Scalars['String']['input']>;
};

export type StanceCounts = {
  __typename?: 'StanceCounts';
  abstain: Scalars['Float']['output'];
  approve: Scalars['Float']['output'];
  block: Scalars['Float']['output'];
  object: Scalars['Float']['output'];
};

/** A draft of the caller's organisation (drafted by it, for itself or under a mandate). */
export type StanceDraft = {
  __typename?: 'StanceDraft';
  approved: Scalars['Boolean']['output'];
  castByOrganisationId: Scalars['ID']['output'];
  draftId: Scalars['ID']['output'];
  draftedAt: Scalars['DateTime']['output'];
  draftedByPersonId: Scalars['ID']['output'];
  mandateId: Maybe<Scalars['ID']['output']>;
  organisationId: Scalars['ID']['output'];
  reason: Maybe<Scalars['String']['output']>;
  stance: StanceKind;
};

export type StanceKind = 'ABSTAIN' | 'APPROVE' | 'BLOCK' | 'OBJECT';

export type SubmitProposalInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  proposalId: Scalars['ID']['input'];
};

export type SubmitProposalPayload = {
  __typename?: 'SubmitProposalPayload';
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
  proposal: Maybe<Proposal>;
};

/** Live changes; authenticate with `authorization: Bearer <token>` in connection_init. */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * New comments on one proposal you may see; `after` replays what was missed. (Edits, retractions,
   * dispositions and reactions reach the socket.io room proposal:<id>.)
   */
  commentAdded: CommentAddedEvent;
  consultationChanged: ConsultationChangedEvent;
  ladderChanged: LadderChangedEvent;
  /**
   * Changes to one organisation (id), to the organisations of a prefecture (prefectureCode), or to
   * all. With `after` (the last position the client saw) it first replays what was missed since,
   * from the change log, then goes live, with no gap and no duplicate; if too much was missed it
   * ends with RESYNC_REQUIRED.
   */
  organisationChanged: OrganisationChange;
  /** Changes to one proposal you may see; `after` replays what was missed, as for organisationChanged. */
  proposalChanged: ProposalChangedEvent;
  /** Changes to one spec (created, a version published); `after` replays what was missed, as for organisationChanged. */
  specChanged: SpecChange;
  /** Every change of one arrangement — replayed after `after`, then live; a candidate's addition only to the organisers. */
  talentArrangementChanged: TalentArrangementChangedEvent;
  tallyChanged: TallyChangedEvent;
};

/** Live changes; authenticate with `authorization: Bearer <token>` in connection_init. */
export type SubscriptionCommentAddedArgs = {
  after: InputMaybe<Scalars['Position']['input']>;
  proposalId: Scalars['ID']['input'];
};

/** Live changes; authenticate with `authorization: Bearer <token>` in connection_init. */
export type SubscriptionConsultationChangedArgs = {
  after: InputMaybe<Scalars['Position']['input']>;
  id: Scalars['ID']['input'];
};

/** Live changes; authenticate with `authorization: Bearer <token>` in connection_init. */
export type SubscriptionLadderChangedArgs = {
  after: InputMaybe<Scalars['Position']['input']>;
  id: Scalars['ID']['input'];
};

/** Live changes; authenticate with `authorization: Bearer <token>` in connection_init. */
export type SubscriptionOrganisationChangedArgs = {
  after: InputMaybe<Scalars['Position']['input']>;
  id: InputMaybe<Scalars['ID']['input']>;
  prefectureCode: InputMaybe<Scalars['String']['input']>;
};

/** Live changes; authenticate with `authorization: Bearer <token>` in connection_init. */
export type SubscriptionProposalChangedArgs = {
  after: InputMaybe<Scalars['Position']['input']>;
  id: Scalars['ID']['input'];
};

/** Live changes; authenticate with `authorization: Bearer <token>` in connection_init. */
export type SubscriptionSpecChangedArgs = {
  after: InputMaybe<Scalars['Position']['input']>;
  id: Scalars['ID']['input'];
};

/** Live changes; authenticate with `authorization: Bearer <token>` in connection_init. */
export type SubscriptionTalentArrangementChangedArgs = {
  after: InputMaybe<Scalars['Position']['input']>;
  id: Scalars['ID']['input'];
};

/** Live changes; authenticate with `authorization: Bearer <token>` in connection_init. */
export type SubscriptionTallyChangedArgs = {
  after: InputMaybe<Scalars['Position']['input']>;
  consultationId: Scalars['ID']['input'];
};

export type TalentArrangement = {
  __typename?: 'TalentArrangement';
  activatedAt: Maybe<Scalars['DateTime']['output']>;
  /** Whether every current participant has consented to the current version. */
  agreed: Scalars['Boolean']['output'];
  agreedAt: Maybe<Scalars['DateTime']['output']>;
  /** The latest version every participant consented to (in force); null before the first agreement. */
  agreedTermsVersion: Maybe<Scalars['Int']['output']>;
  /**
   * Set when read with `talentArrangement(asOf:)`: the moment the arrangement is shown as of
   * (rebuilt from its events up to then) — e.g. the terms and cost table each town had consented to
   * on that day. Its phase, terms, `participants` (shares and answers), `termsHistory`, `problems`,
   * `candidates` (still for the organisers only) and `checklist` are those of that moment;
   * `dispatches`, `proposer` and `host` are as they are now. Null when read now.
   */
  asOf: Maybe<Scalars['DateTime']['output']>;
  /** 人材の選定: for the organisers only (any role of the proposer or the host); null for everyone else. */
  candidates: Maybe<Array<TalentCandidate>>;
  /** 受け入れ. */
  checklist: Array<TalentChecklistItem>;
  costTable: TalentCostTable;
  /** Pool dispatches serving this arrangement. */
  dispatches: Array<TalentDispatch>;
  endReason: Maybe<Scalars['String']['output']>;
  endedAt: Maybe<Scalars['DateTime']['output']>;
  endedEarly: Maybe<Scalars['Boolean']['output']>;
  host: Maybe<Organisation>;
  hostOrganisationId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  /** The current version's participants, in terms order, with their share before and after the subsidy and their answer. */
  participants: Array<TalentParticipant>;
  /** Current participants that have not consented to the current version, in terms order. */
  pendingConsents: Array<Scalars['ID']['output']>;
  phase: TalentPhase;
  /** Position of the last event applied to this arrangement. */
  position: Scalars['Position']['output'];
  /** The prefectures of the proposer and the current participants. */
  prefectureCodes: Array<Scalars['String']['output']>;
  /** 課題の特定, by participant then in the order listed. */
  problems: Array<TalentProblem>;
  proposedAt: Scalars['DateTime']['output'];
  proposedByPersonId: Scalars['ID']['output'];
  proposer: Maybe<Organisation>;
  /** MUNICIPALITY, or PREFECTURE acting as coordinator for its municipalities. */
  proposerKind: OrganisationKind;
  proposerOrganisationId: Scalars['ID']['output'];
  /** 人材要件の定義. */
  requirements: Array<TalentRequirement>;
  /** E.g. CIO補佐官, DX推進アドバイザー. */
  role: Scalars['String']['output'];
  selectedCandidateId: Maybe<Scalars['ID']['output']>;
  skills: Array<Scalars['String']['output']>;
  streamVersion: Scalars['Int']['output'];
  /** The current terms, and their split. */
  terms: TalentTerms;
  /** Every terms version, oldest first, each with its cost table and the answers to it. */
  termsHistory: Array<TalentTermsVersion>;
  /** The current terms version. */
  termsVersion: Scalars['Int']['output'];
};

export type TalentArrangementChangedEvent = {
  __typename?: 'TalentArrangementChangedEvent';
  arrangement: Maybe<TalentArrangement>;
  arrangementId: Scalars['ID']['output'];
  /** The event type, e.g. TalentTermsChanged, TalentTermsConsented, TalentTermsAgreed, TalentArrangementActivated. */
  change: Scalars['String']['output'];
  position: Scalars['Position']['output'];
};

export type TalentArrangementConnection = {
  __typename?: 'TalentArrangementConnection';
  edges: Array<TalentArrangementEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type TalentArrangementEdge = {
  __typename?: 'TalentArrangementEdge';
  cursor: Scalars['String']['output'];
  node: TalentArrangement;
};

export type TalentArrangementPayload = {
  __typename?: 'TalentArrangementPayload';
  /** Resolved once the read models have the write. */
  arrangement: Maybe<TalentArrangement>;
  arrangementId: Maybe<Scalars['ID']['output']>;
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
};

/** A candidate: personal data kept to a name and a reference into the host's own recruitment file. */
export type TalentCandidate = {
  __typename?: 'TalentCandidate';
  addedAt: Scalars['DateTime']['output'];
  addedByPersonId: Scalars['ID']['output'];
  candidateId: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  reference: Scalars['String']['output'];
  selected: Scalars['Boolean']['output'];
};

export type TalentChecklistItem = {
  __typename?: 'TalentChecklistItem';
  completedAt: Maybe<Scalars['DateTime']['output']>;
  completedByPersonId: Maybe<Scalars['ID']['output']>;
  done: Scalars['Boolean']['output'];
  itemId: Scalars['ID']['output'];
  label: Scalars['String']['output'];
};

export type TalentChecklistItemInput = {
  itemId: Scalars['ID']['input'];
  label: Scalars['String']['input'];
};

/** A participant's latest answer to one terms version. */
export type TalentConsent = {
  __typename?: 'TalentConsent';
  answer: TalentTermsAnswer;
  answeredAt: Scalars['DateTime']['output'];
  answeredByPersonId: Scalars['ID']['output'];
  /** False once a later version exists: an answer counts for its own version only. */
  current: Scalars['Boolean']['output'];
  organisationId: Scalars['ID']['output'];
  /** The reason of a decline. */
  reason: Maybe<Scalars['String']['output']>;
  termsVersion: Scalars['Int']['output'];
};

/** A what-if: how this cost would split among these organisations under this rule. */
export type TalentCostCalculationInput = {
  annualCostYen: Scalars['Float']['input'];
  participants: Array<TalentParticipantInput>;
  splitRule: TalentSplitRule;
  /** Default 50. */
  subsidyPercent?: InputMaybe<Scalars['Int']['input']>;
};

export type TalentCostCalculationPayload = {
  __typename?: 'TalentCostCalculationPayload';
  /** Null when the input is refused. */
  costTable: Maybe<TalentCostTable>;
  /** What is wrong with the input, with the field named (e.g. participants[2].population). */
  errors: Array<UserError>;
};

/** One participant's part of the annual cost, in whole yen. */
export type TalentCostShare = {
  __typename?: 'TalentCostShare';
  /** What it pays itself: shareYen − subsidyYen. */
  netYen: Scalars['Float']['output'];
  organisation: Maybe<Organisation>;
  organisationId: Scalars['ID']['output'];
  /** Its part of the annual cost, before the subsidy. */
  shareYen: Scalars['Float']['output'];
  /** The part of its share that 特別交付税 covers. */
  subsidyYen: Scalars['Float']['output'];
  /** The weight the rule gave it: 1, its population, or its days per month. */
  weight: Scalars['Int']['output'];
};

/** How an annual cost splits among participants. The shares add up exactly to annualCostYen, the subsidies to subsidyTotalYen. */
export type TalentCostTable = {
  __typename?: 'TalentCostTable';
  annualCostYen: Scalars['Float']['output'];
  netTotalYen: Scalars['Float']['output'];
  /** In participant order. */
  shares: Array<TalentCostShare>;
  splitRule: TalentSplitRule;
  subsidyPercent: Scalars['Int']['output'];
  /** ⌊annualCostYen × subsidyPercent / 100⌋. */
  subsidyTotalYen: Scalars['Float']['output'];
};

/** A pool person sent to a participant of an arrangement, for days per month over a date range (both ends included). */
export type TalentDispatch = {
  __typename?: 'TalentDispatch';
  arrangementId: Scalars['ID']['output'];
  daysPerMonth: Scalars['Int']['output'];
  dispatchId: Scalars['ID']['output'];
  dispatchedAt: Scalars['DateTime']['output'];
  dispatchedByPersonId: Scalars['ID']['output'];
  /** As in force: an early end moves it forward. */
  endDate: Scalars['String']['output'];
  endReason: Maybe<Scalars['String']['output']>;
  /** The participant served. */
  organisationId: Scalars['ID']['output'];
  /** The person's name: for the pool's prefecture and the organisation served; null for everyone else. */
  personName: Maybe<Scalars['String']['output']>;
  plannedEndDate: Scalars['String']['output'];
  poolId: Scalars['ID']['output'];
  poolPersonId: Scalars['ID']['output'];
  startDate: Scalars['String']['output'];
};

/** A participant of the current terms version, with its share and its answer to that version. */
export type TalentParticipant = {
  __typename?: 'TalentParticipant';
  /** Its answer to the current version; null while pending. */
  answer: Maybe<TalentTermsAnswer>;
  answerReason: Maybe<Scalars['String']['output']>;
  answeredAt: Maybe<Scalars['DateTime']['output']>;
  answeredByPersonId: Maybe<Scalars['ID']['output']>;
  daysPerMonth: Scalars['Int']['output'];
  netYen: Scalars['Float']['output'];
  organisation: Maybe<Organisation>;
  organisationId: Scalars['ID']['output'];
  population: Maybe<Scalars['Int']['output']>;
  prefectureCode: Maybe<Scalars['String']['output']>;
  shareYen: Scalars['Float']['output'];
  subsidyYen: Scalars['Float']['output'];
  weight: Scalars['Int']['output'];
};

export type TalentParticipantInput = {
  /** Days per month of the person's work allotted to it (0-31; at least 1 under ALLOTTED_DAYS). Required in terms; the calculator needs it only for ALLOTTED_DAYS. */
  daysPerMonth?: InputMaybe<Scalars['Int']['input']>;
  organisationId: Scalars['ID']['input'];
  /** Required by the POPULATION rule (1 to 50,000,000). */
  population?: InputMaybe<Scalars['Int']['input']>;
};

/**
 * Talent sharing (人材シェアリング): several municipalities (or a prefecture for them) share one hire —
 * a CIO補佐官, a DX推進アドバイザー — employed by a host organisation, splitting its annual cost under a
 * rule, with 特別交付税 covering a share of it (50 % by default). The arrangement goes through the MIC
 * guidebook's steps as its phases; its terms are versioned, and it is agreed only when every current
 * participant's approver (決裁者) has consented to the current version. Any change of terms — a town
 * joins or leaves, the cost, the term, the split or the allotment changes — makes a new version and
 * voids every earlier consent.
 *
 * Money: every amount is a whole number of yen, shown as Float. A GraphQL Int is 32-bit (at most
 * 2,147,483,647), too small for sums of amounts and for a limit raised later; a Float (an IEEE double)
 * holds every whole number up to 2^53 (about 9 × 10^15 yen) exactly and stays a plain JSON number that
 * a client can add up, unlike a String. The shares are computed with exact integer arithmetic
 * (largest remainder) and always add up exactly to the total.
 *
 * Dates of terms and dispatches are calendar days in Japan, `YYYY-MM-DD` strings.
 */
export type TalentPhase =
  /** The person works under the agreed terms. */
  | 'ACTIVE'
  | 'ENDED'
  /** 受け入れ: the onboarding checklist. */
  | 'ONBOARDING'
  /** 課題の特定: each participant lists the problems the hire must solve. */
  | 'PROBLEMS'
  /** 人材要件の定義: the proposer defines the requirements from those problems. */
  | 'REQUIREMENTS'
  /** 人材の選定: candidates (a name and a reference only) and the selection, under agreed terms. */
  | 'SELECTION';

export type TalentPool = {
  __typename?: 'TalentPool';
  /**
   * Set when read with `talentPool(asOf:)`: the moment the pool is shown as of (rebuilt from its
   * events up to then). Its `people` (with their capacity then; still for the pool's prefecture
   * only) and `dispatches` (those made by then, each with its end date as in force then; a person's
   * name still for the pool's prefecture and the organisation served) are those of that moment;
   * `prefecture` is as it is now. Null when read now.
   */
  asOf: Maybe<Scalars['DateTime']['output']>;
  /** Oldest first; optionally of one organisation served or one arrangement. */
  dispatches: Array<TalentDispatch>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  openedAt: Scalars['DateTime']['output'];
  openedByPersonId: Scalars['ID']['output'];
  /** For the pool's prefecture only (personal data); null for everyone else. */
  people: Maybe<Array<TalentPoolPerson>>;
  position: Scalars['Position']['output'];
  prefecture: Maybe<Organisation>;
  /** The prefecture that runs the pool and employs its people. */
  prefectureOrganisationId: Scalars['ID']['output'];
  streamVersion: Scalars['Int']['output'];
};

export type TalentPoolDispatchesArgs = {
  arrangementId: InputMaybe<Scalars['ID']['input']>;
  organisationId: InputMaybe<Scalars['ID']['input']>;
};

export type TalentPoolPayload = {
  __typename?: 'TalentPoolPayload';
  errors: Array<UserError>;
  /** Resolved once the read models have the write. */
  pool: Maybe<TalentPool>;
  poolId: Maybe<Scalars['ID']['output']>;
  position: Maybe<Scalars['Position']['output']>;
};

/** A person a prefecture employs for its pool. */
export type TalentPoolPerson = {
  __typename?: 'TalentPoolPerson';
  addedAt: Scalars['DateTime']['output'];
  capacityDaysPerMonth: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  poolPersonId: Scalars['ID']['output'];
  /** Into the prefecture's personnel file. */
  reference: Scalars['String']['output'];
};

export type TalentProblem = {
  __typename?: 'TalentProblem';
  listedAt: Scalars['DateTime']['output'];
  listedByPersonId: Scalars['ID']['output'];
  /** The participant that listed it. */
  organisationId: Scalars['ID']['output'];
  problemId: Scalars['ID']['output'];
  text: Scalars['String']['output'];
};

export type TalentProblemInput = {
  problemId: Scalars['ID']['input'];
  text: Scalars['String']['input'];
};

export type TalentRequirement = {
  __typename?: 'TalentRequirement';
  /** The listed problems it answers. */
  problemIds: Array<Scalars['ID']['output']>;
  requirementId: Scalars['ID']['output'];
  text: Scalars['String']['output'];
};

export type TalentRequirementInput = {
  problemIds: Array<Scalars['ID']['input']>;
  requirementId: Scalars['ID']['input'];
  text: Scalars['String']['input'];
};

export type TalentSplitRule =
  /** In proportion to each participant's days per month of the person's work. */
  | 'ALLOTTED_DAYS'
  /** Every participant pays the same (within 1 yen; the earliest in the terms pays the odd yen). */
  | 'EQUAL'
  /** In proportion to the population figures supplied with the terms. */
  | 'POPULATION';

/** One terms version, as every participant consents to it. */
export type TalentTerms = {
  __typename?: 'TalentTerms';
  annualCostYen: Scalars['Float']['output'];
  endDate: Scalars['String']['output'];
  /** The organisation that employs the person (not necessarily a participant). */
  hostOrganisationId: Scalars['ID']['output'];
  /** In order: the order breaks rounding ties. */
  participants: Array<TalentTermsParticipant>;
  splitRule: TalentSplitRule;
  startDate: Scalars['String']['output'];
  subsidyPercent: Scalars['Int']['output'];
};

export type TalentTermsAnswer = 'CONSENTED' | 'DECLINED';

/** What a new terms version changed against the one before. */
export type TalentTermsChange = 'ALLOTMENT' | 'COST' | 'HOST' | 'PARTICIPANTS' | 'SPLIT' | 'SUBSIDY' | 'TERM';

export type TalentTermsInput = {
  /** Whole yen, 1 to 1,000,000,000. */
  annualCostYen: Scalars['Float']['input'];
  /** YYYY-MM-DD, not before startDate; a term lasts less than 5 years. */
  endDate: Scalars['String']['input'];
  hostOrganisationId: Scalars['ID']['input'];
  /** At least 2, each a municipality or prefecture, in order (the order breaks rounding ties); their days per month add up to 1-31. */
  participants: Array<TalentParticipantInput>;
  splitRule: TalentSplitRule;
  /** YYYY-MM-DD, a day in Japan. */
  startDate: Scalars['String']['input'];
  /** Whole percentage 0-100 that 特別交付税 covers; default 50. */
  subsidyPercent?: InputMaybe<Scalars['Int']['input']>;
};

export type TalentTermsParticipant = {
  __typename?: 'TalentTermsParticipant';
  daysPerMonth: Scalars['Int']['output'];
  organisationId: Scalars['ID']['output'];
  /** The figure the POPULATION rule weighs; null when not supplied. */
  population: Maybe<Scalars['Int']['output']>;
  prefectureCode: Maybe<Scalars['String']['output']>;
};

export type TalentTermsVersion = {
  __typename?: 'TalentTermsVersion';
  /** When every participant had consented to it; null until then. */
  agreedAt: Maybe<Scalars['DateTime']['output']>;
  /** Empty for version 1. */
  changes: Array<TalentTermsChange>;
  /** Each participant's latest answer to this version. */
  consents: Array<TalentConsent>;
  /** The split as recorded when the version was made. */
  costTable: TalentCostTable;
  createdAt: Scalars['DateTime']['output'];
  /** The proposer, or the participant that left. */
  createdByOrganisationId: Scalars['ID']['output'];
  createdByPersonId: Scalars['ID']['output'];
  joinedOrganisationIds: Array<Scalars['ID']['output']>;
  leftOrganisationIds: Array<Scalars['ID']['output']>;
  /** Why the terms changed; null for version 1. */
  reason: Maybe<Scalars['String']['output']>;
  terms: TalentTerms;
  version: Scalars['Int']['output'];
  /** Participants whose consent to the version before this one it voided. */
  voidedConsents: Array<Scalars['ID']['output']>;
};

/** The tally of the official stances (weights are exact integers, shown as Float for large populations). */
export type Tally = {
  __typename?: 'Tally';
  counts: StanceCounts;
  electorateCount: Scalars['Int']['output'];
  participatingCount: Scalars['Int']['output'];
  participatingWeight: Scalars['Float']['output'];
  totalWeight: Scalars['Float']['output'];
  weights: StanceCounts;
};

export type TallyChangedEvent = {
  __typename?: 'TallyChangedEvent';
  change: Scalars['String']['output'];
  consultationId: Scalars['ID']['output'];
  position: Scalars['Position']['output'];
  status: ConsultationStatus;
  /** The tally after the change; null while results are hidden and the round is open. */
  tally: Maybe<Tally>;
};

export type ThresholdBasis =
  /** approve ÷ everything cast; abstentions count against. */
  | 'APPROVE_OF_ALL_CAST'
  /** approve ÷ (approve + object + block); abstentions do not count. */
  | 'APPROVE_OF_APPROVE_AND_OBJECT';

/** An expected failure, with a stable code that clients can rely on. */
export type UserError = {
  __typename?: 'UserError';
  /** Stable, e.g. FORBIDDEN, INVALID_NAME, ORGANISATION_ALREADY_REGISTERED. */
  code: Scalars['String']['output'];
  /** The input field at fault, when there is one. */
  field: Maybe<Scalars['String']['output']>;
  /** A readable explanation naming the field and the rule. */
  message: Scalars['String']['output'];
};

export type Weighting =
  /** One organisation, one vote. */
  | 'EQUAL'
  /** Weighted by the population figures supplied for the round. */
  | 'POPULATION';

export type WithdrawProposalInput = {
  commandId?: InputMaybe<Scalars['ID']['input']>;
  proposalId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};

export type WithdrawProposalPayload = {
  __typename?: 'WithdrawProposalPayload';
  errors: Array<UserError>;
  position: Maybe<Scalars['Position']['output']>;
  proposal: Maybe<Proposal>;
};
