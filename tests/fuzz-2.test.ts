// Fuzzed input at every POST route, share 2 of 2 (the suite: tests/helpers/fuzz-suite.ts).
import { fuzzSuite } from './helpers/fuzz-suite';

fuzzSuite(1, 2);
