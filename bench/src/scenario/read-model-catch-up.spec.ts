import { waitForReadModels } from './read-model-catch-up';

describe('waitForReadModels', () => {
  it('returns once the projection backlog reaches zero, after as many looks as that takes', async () => {
    const answers = [120, 40, null, 0];
    let looks = 0;
    const waited = await waitForReadModels(async () => answers[looks++], 5000, 1);
    expect(looks).toBe(4);
    expect(waited).not.toBeNull();
  });

  it('gives up with null when the read models do not catch up within the bound, or the query service never answers', async () => {
    expect(await waitForReadModels(async () => 3, 30, 5)).toBeNull();
    expect(await waitForReadModels(async () => null, 30, 5)).toBeNull();
  });
});
