export { TRANSFORMATION_MAX_LENGTH, transformationProblem } from './check-transformation';
export { TransformationError, TransformationRunner } from './transformation-runner';
export type { TransformationRunnerOptions } from './transformation-runner';
