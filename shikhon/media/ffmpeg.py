"""ffmpeg moved to `shikhon.core.ffmpeg` (the shared upload checks in core probe videos with it); this
name stays for older imports."""

from shikhon.core.ffmpeg import FFmpegError, Probe, decodes, ffmpeg_path, ffprobe_path, probe, run

__all__ = ["FFmpegError", "Probe", "decodes", "ffmpeg_path", "ffprobe_path", "probe", "run"]
