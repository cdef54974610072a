package dev.vigil.core.event;

/** What the issuer's host is told to do. REVIEW approves and queues the authorization for an analyst. */
public enum Action {
    APPROVE, REVIEW, DECLINE
}
