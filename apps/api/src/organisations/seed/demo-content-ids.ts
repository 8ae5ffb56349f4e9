/** The demo content's fixed ids and figures (free of Nest, so the e2e tests import them too); see demo-content.ts. */
export const DEMO_CONTENT = {
  proposals: { online: 'demo-proposal-online-moving', furigana: 'demo-proposal-furigana', konbini: 'demo-proposal-konbini-hours' },
  comments: {
    hinohara: 'demo-comment-hinohara',
    hokkaido: 'demo-comment-hokkaido',
    vendor: 'demo-comment-vendor',
    reply: 'demo-comment-reply',
  },
  consultation: 'demo-consultation-online-moving',
  sapporoDraft: 'demo-draft-sapporo',
  hinoharaDraft: 'demo-draft-hinohara',
  arrangement: 'demo-talent-ishikari-cio',
} as const;

/** The electorate of the demo consultation: 札幌市 and 檜原村 (with demo users), 北海道, 函館市 and 奥多摩町. */
export const DEMO_ELECTORATE = ['011002', '133078', '010006', '012025', '133086'] as const;
export const DEMO_CONSULTATION_DAYS = 14;
/** 石狩市 (the host), 江別市 and 新篠津村: no 町, which the talent tests take the first of 北海道's for their own arrangements. */
export const DEMO_TALENT_PARTICIPANTS = ['012351', '012173', '013048'] as const;
