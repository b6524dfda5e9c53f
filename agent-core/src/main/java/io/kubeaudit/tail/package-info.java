/**
 * Follows the API server's audit log across rotations and hands every complete line downstream,
 * exactly once per run, resuming from an acknowledged checkpoint.
 *
 * <p>Who does what: {@link io.kubeaudit.tail.Follower} runs the loop; {@code RotationTracker} keeps
 * the chain of files with unread log ({@code Chain}) and holds them open: {@code StartPlan} builds the
 * first chain, {@code RotationScan} matches each directory listing against it, {@code OpenFileBudget}
 * caps the files held; {@code PollingWatcher} scans the directory
 * on its own thread; {@code HeadReader} reads the oldest file; {@code LineSplitter} cuts lines;
 * {@link io.kubeaudit.tail.CheckpointStore} is the only class that touches the checkpoint file.
 *
 * <p>Guarantees and choices:
 * <ul>
 * <li><b>Start.</b> From the checkpointed file at its offset (found again under its backup name,
 *     plain or {@code .gz}, by fingerprint; a {@code .gz} at the decompressed offset), then the newer
 *     backups oldest first, then {@code audit.log}. Without a checkpoint: {@code beginning} reads every
 *     retained backup and the live log, {@code end} starts after the last complete line of the live
 *     log. A checkpointed file that is gone is reported through {@code lost} and reading goes on with
 *     the oldest remaining file.</li>
 * <li><b>Rotation.</b> A file is read to its end through the descriptor held for it, also after it
 *     was renamed, compressed or deleted; up to {@code maxOpenFiles} files are held. A {@code .gz} is
 *     read only when it decodes completely (gzip trailer), and only when its plain file is gone.
 *     Backups deleted before they were read and not held are reported through {@code lost} with
 *     their size.</li>
 * <li><b>Identity.</b> Device and inode plus a fingerprint: the hash of the first line including its
 *     newline, or of the first 1 KiB when the first line is longer. A file shorter than that whose
 *     first line is incomplete has no fingerprint yet; no line of it can have been handed on then,
 *     so no checkpoint can name it. Inode reuse and files rewritten in place are told apart by the
 *     fingerprint and by offset &lt;= size.</li>
 * <li><b>Truncation</b> (copy-truncate, or a rewrite in place) is noticed after every read and at
 *     every end of file: reading restarts at 0 and {@code truncated} is reported.</li>
 * <li><b>Lines.</b> A partial last line waits for its newline; offsets are exact, so a checkpoint
 *     never points into a line. Lines up to {@code maxLineBytes} (16 MiB) are delivered whole; longer
 *     ones are skipped in bounded memory and reported with their first 4 KiB.</li>
 * <li><b>Backpressure.</b> The consumer may block; the follower then waits and reads nothing ahead.
 *     Memory is one read buffer plus at most one line being assembled.</li>
 * <li><b>Polling</b>, not {@code WatchService}: inotify misses events on some mounts and drops them
 *     on overflow, and identity needs a stat anyway; a scan every 250 ms is cheap.</li>
 * </ul>
 */
package io.kubeaudit.tail;
