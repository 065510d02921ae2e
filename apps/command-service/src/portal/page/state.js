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

/** Whether this session may change anything: a view-only one (`read_only`) may look at everything, and only look. */
export const canChange = () => !state.session?.read_only;

/**
 * `build`, a maker of a control that changes something, as one that makes nothing (null) for a view-only session: the
 * page then shows no control the API would refuse (403).
 */
export const changeControl = (build) => (...args) => (canChange() ? build(...args) : null);
