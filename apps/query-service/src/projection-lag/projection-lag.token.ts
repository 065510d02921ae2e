/** Nest injection token of the ProjectionLag instance. */
export const PROJECTION_LAG = Symbol('PROJECTION_LAG');
