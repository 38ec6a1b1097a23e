package dev.nvrc.core;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, in a few words and without the host path the JDK's exception
 * carries: failure messages name the guest path themselves, and a fixture root's host path means
 * nothing to the reader of a FAILED line.
 */
public final class IoReason {
    private IoReason() {}

    /** Why an I/O operation failed, without the host path the exception carries. */
    public static String of(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists (a file where a directory should be)";
        }
        if (e instanceof FileSystemException fse) {
            // Its message is the host path; the reason, when the JDK has one, is errno's text.
            return fse.getReason() != null ? fse.getReason() : fse.getClass().getSimpleName();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
