/*
 * ESLint options every package adds to Backstage's eslint-factory.
 *
 * Report texts are untrusted: no pattern may take super-linear time on them
 * (issue 13). `regexp/no-super-linear-move` also catches the patterns that
 * are quadratic only because a failed match is retried at every position.
 */
module.exports = {
  extends: ['plugin:regexp/recommended'],
  rules: {
    'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
    'regexp/no-super-linear-move': [
      'error',
      { report: 'potential', ignoreSticky: false, ignorePartial: false },
    ],
  },
};
