/* Test data for the parsers' link tests. */

/**
 * A script link, which no report may turn into a clickable reference. Built
 * here once so that the tests do not each need an exception to no-script-url.
 */
// eslint-disable-next-line no-script-url
export const SCRIPT_URL = 'javascript:alert(document.cookie)';
