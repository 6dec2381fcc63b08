import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Views wait on several mocked APIs and on batched permission checks; on a
// loaded 2-core CI machine that can take more than the default second.
configure({ asyncUtilTimeout: 10_000 });
