import fc from 'fast-check';

/**
 * Property tests draw from one fixed seed, so the suite (and CI) gives the same verdict on every run; a
 * failure is then reproducible as it stands. Explore other seeds with FC_SEED=N (a failure prints its seed and
 * path; keep the input as a regression test).
 */
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20261207;
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${process.env.FC_SEED}`);
fc.configureGlobal({ seed });
