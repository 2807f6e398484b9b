// Fuzzed input at every POST route, share 1 of 2 (the suite: tests/helpers/fuzz-suite.ts).
import { fuzzSuite } from './helpers/fuzz-suite';

fuzzSuite(0, 2);
