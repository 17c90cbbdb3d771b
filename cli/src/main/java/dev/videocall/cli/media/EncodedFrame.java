package dev.videocall.cli.media;

/** One compressed frame out of an encoder. */
public record EncodedFrame(byte[] data, boolean keyframe, long timestampUs) {}
