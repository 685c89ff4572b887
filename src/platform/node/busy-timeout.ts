/**
 * How long (ms) a connection to the embedded file waits for another process's lock before
 * SQLITE_BUSY. libSQL's default is not to wait at all, and even a reader needs a moment's lock: a
 * process closing the file last takes it exclusively to fold the WAL back in. A module of its own,
 * so that a short-lived script can use it without loading the app's database layer.
 */
export const BUSY_TIMEOUT_MS = 5000;
