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

export type DemoLoginPayload = {
  __typename?: 'DemoLoginPayload';
  errors: Array<UserError>;
  expiresAt: Maybe<Scalars['DateTime']['output']>;
  token: Maybe<Scalars['String']['output']>;
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
  /** Add a person with roles to an organisation (its admin, or an admin of a national body). */
  addMember: AddMemberPayload;
  /** Replace a member's roles (its admin, or an admin of a national body). The person's live connections end: their token carries the old roles. */
  changeMemberRoles: ChangeMemberRolesPayload;
  /** Deactivate an organisation (an admin of a national body). It keeps its history; its people's live connections end. */
  deactivateOrganisation: DeactivateOrganisationPayload;
  /**
   * Embedded mode only: a token for one of the seeded demo users, by e-mail. Refused under OIDC
   * (and the embedded mode itself refuses to run in production).
   */
  demoLogin: DemoLoginPayload;
  /** Register an organisation (an admin of a national body only). */
  registerOrganisation: RegisterOrganisationPayload;
};

export type MutationAddMemberArgs = {
  input: AddMemberInput;
};

export type MutationChangeMemberRolesArgs = {
  input: ChangeMemberRolesInput;
};

export type MutationDeactivateOrganisationArgs = {
  input: DeactivateOrganisationInput;
};

export type MutationDemoLoginArgs = {
  email: Scalars['String']['input'];
};

export type MutationRegisterOrganisationArgs = {
  input: RegisterOrganisationInput;
};

/** 団体: a national body, prefecture or municipality; vendors and observers may comment but not vote. */
export type Organisation = {
  __typename?: 'Organisation';
  /** false for bodies that exist in law but do not act (the Northern Territories villages). */
  active: Scalars['Boolean']['output'];
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

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Query = {
  __typename?: 'Query';
  me: Maybe<Me>;
  /** One organisation by id or by 全国地方公共団体コード. */
  organisation: Maybe<Organisation>;
  /**
   * Organisations, ordered by kind (national, prefectures, municipalities, vendors, observers) and
   * code. `search` matches the name or its kana; inactive ones only with includeInactive.
   */
  organisations: OrganisationConnection;
  serverInfo: ServerInfo;
};

export type QueryOrganisationArgs = {
  code: InputMaybe<Scalars['String']['input']>;
  id: InputMaybe<Scalars['ID']['input']>;
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

export type Role = 'ADMIN' | 'APPROVER' | 'COORDINATOR' | 'MEMBER' | 'VIEWER';

export type ServerInfo = {
  __typename?: 'ServerInfo';
  /** How this instance authenticates: EMBEDDED (local demo issuer) or OIDC. */
  authMode: Scalars['String']['output'];
  /** The position the read models have reached on this instance. */
  readModelPosition: Scalars['Position']['output'];
};

/** Live changes; authenticate with `authorization: Bearer <token>` in connection_init. */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Changes to one organisation (id), to the organisations of a prefecture (prefectureCode), or to
   * all. With `after` (the last position the client saw) it first replays what was missed since,
   * from the change log, then goes live, with no gap and no duplicate; if too much was missed it
   * ends with RESYNC_REQUIRED.
   */
  organisationChanged: OrganisationChange;
};

/** Live changes; authenticate with `authorization: Bearer <token>` in connection_init. */
export type SubscriptionOrganisationChangedArgs = {
  after: InputMaybe<Scalars['Position']['input']>;
  id: InputMaybe<Scalars['ID']['input']>;
  prefectureCode: InputMaybe<Scalars['String']['input']>;
};

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
