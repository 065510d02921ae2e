export { TRANSFORMATION_MAX_LENGTH, transformationProblem } from './check-transformation';
export { transformationInput } from './transformation-input';
export type { TransformationSubject } from './transformation-input';
export { TransformationError, TransformationRunner } from './transformation-runner';
export type { TransformationRunnerOptions } from './transformation-runner';
