package dev.nvrc.core.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * What went wrong with a file, in words: {@code permission denied}, {@code no such file or
 * directory}, the kernel's own reason ({@code Too many levels of symbolic links}). The JDK's
 * exceptions carry the (host) path as their message, and an {@code AccessDeniedException} prints
 * as its path or its class name; failure messages name the guest path themselves, so the reason
 * must leave the path out and never be a class name.
 */
public final class IoReason {
    private IoReason() {}

    /** The reason of {@code e}, never a class name or a bare path. */
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
        if (e instanceof FileSystemLoopException) {
            return "a symbolic link loop";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof NotLinkException) {
            return "not a symbolic link";
        }
        if (e instanceof FileSystemException fse) {
            // The others put the path in getMessage() and strerror(3) in getReason().
            return fse.getReason() != null ? fse.getReason() : "error";
        }
        if (e instanceof UnsupportedOperationException) {
            return "not supported on this file system";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "I/O error" : message;
    }
}
