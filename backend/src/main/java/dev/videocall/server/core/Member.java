package dev.videocall.server.core;

/** A participant of a meeting, on this instance or another. */
public record Member(String meetingId, long sessionId, String userId, String displayName) {}
