/* A power cut, simulated: what reached the "device" is only what was fsynced.

   Loaded with LD_PRELOAD into a process writing in CRASH_DIR. Each successful fsync or fdatasync of a file
   in CRASH_DIR copies that file's whole contents, as it stands, into CRASH_SHADOW/<inode> (a temporary file
   renamed into place, so a copy is whole or absent); each fsync of CRASH_DIR itself records its entries
   (inode, name) in CRASH_SHADOW/listing. After kill -9, tests/test_crash.py rebuilds the folder as a disk
   would hold it after the power went: the names of the last synced listing, each with the contents of its
   last synced copy (or, for a file never synced, what it held before the process started, else nothing).
   Everything written and not yet synced is thrown away. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

static int inside(const char *path, const char *dir) {
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static void copy_file(const char *path, const char *shadow, unsigned long ino) {
    char tmp[PATH_MAX], dst[PATH_MAX], buf[1 << 16];
    snprintf(tmp, sizeof tmp, "%s/%lu.tmp.%d", shadow, ino, (int)getpid());
    snprintf(dst, sizeof dst, "%s/%lu", shadow, ino);
    int in = open(path, O_RDONLY);
    if (in < 0) return;
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0) { close(in); return; }
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, (size_t)n) != n) break;
    }
    close(in);
    close(out);
    rename(tmp, dst);
}

static void list_dir(const char *path, const char *shadow) {
    char tmp[PATH_MAX], dst[PATH_MAX], entry[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/listing.tmp.%d", shadow, (int)getpid());
    snprintf(dst, sizeof dst, "%s/listing", shadow);
    DIR *d = opendir(path);
    if (!d) return;
    FILE *f = fopen(tmp, "w");
    if (!f) { closedir(d); return; }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        struct stat st;
        snprintf(entry, sizeof entry, "%s/%s", path, e->d_name);
        if (lstat(entry, &st) == 0 && S_ISREG(st.st_mode)) fprintf(f, "%lu %s\n", (unsigned long)st.st_ino, e->d_name);
    }
    closedir(d);
    fclose(f);
    rename(tmp, dst);
}

static void record(int fd) {
    const char *dir = getenv("CRASH_DIR"), *shadow = getenv("CRASH_SHADOW");
    if (!dir || !shadow) return;
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0) return;
    path[n] = '\0';
    if (!inside(path, dir)) return;
    struct stat st;
    if (fstat(fd, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        if (strcmp(path, dir) == 0) list_dir(path, shadow);
    } else if (S_ISREG(st.st_mode) && st.st_nlink > 0) {
        copy_file(path, shadow, (unsigned long)st.st_ino);
    }
}

int fsync(int fd) {
    if (!real_fsync) real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    int r = real_fsync(fd);
    if (r == 0) record(fd);
    return r;
}

int fdatasync(int fd) {
    if (!real_fdatasync) real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    int r = real_fdatasync(fd);
    if (r == 0) record(fd);
    return r;
}
