// What the modules of this tab share: who it is for and which view it shows.
export const state = {
  token: null,
  session: null,
  queryBase: '',
  view: { name: 'endpoints' },
  /** Bumped by every render: a view still loading when another starts must not draw over it. */
  seq: 0,
  ended: false,
};
