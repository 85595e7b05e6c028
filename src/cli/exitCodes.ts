/**
 * The exit status of `lvs-lab`, a contract for scripts and CI: 0 when everything held, 1 when the run went
 * through but an expectation failed, 2 when the input was unusable (a scenario error, an unreadable or
 * unwritable file, a bad option). 70 is sysexits(3)'s EX_SOFTWARE: a bug in lvs-lab itself, which must not be
 * mistaken for a failed expectation.
 */
export const EXIT_OK = 0;
export const EXIT_EXPECTATION_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 70;
