/** Name the live projector stores its offsets under (a rebuild stores under the same name in its own generation). */
export const PROJECTOR_NAME = 'projector';
