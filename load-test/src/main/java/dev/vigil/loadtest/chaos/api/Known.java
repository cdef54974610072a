package dev.vigil.loadtest.chaos.api;

/** An alert the database holds: its id, its case and its card token. */
record Known(String alertId, long caseId, String card) {
}
