/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License. You may obtain
 * a copy of the License at
 *
 *      http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
 * WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
 * License for the specific language governing permissions and limitations
 * under the License.
 *
 * The keys and sizes of the files under a directory, outside the GIL.
 *
 * A copy first lists every object of its source with its size, so that
 * its totals are known before any byte moves. For a checkpoint of 20,000
 * small objects the Python walk (os.scandir and a stat per file) took a
 * fifth of the copy's time, in the interpreter; here the same walk costs
 * its system calls, and the files of a large directory are looked up on
 * several threads (which also overlaps the reads of inodes not in
 * memory, on a disk). It follows the file-system bank's rules for what is
 * an object: regular files only, never through a symbolic link, names
 * holding the temporary-file mark skipped, and a directory or file that
 * vanishes while it is listed simply left out.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the walk found: the keys (each NUL-terminated, one after the other
 * in `text`, starting at offsets[i]) and their sizes. */
typedef struct {
    char *text;
    size_t used, capacity;
    size_t *offsets;
    int64_t *sizes;
    size_t count, slots;
} found_t;

/* Why the walk stopped: errno and the path it was at. */
typedef struct {
    int error;
    char *path;
} walk_error_t;

static int
append_text(found_t *found, const char *bytes, size_t length)
{
    if (found->used + length + 1 > found->capacity) {
        size_t capacity = found->capacity ? found->capacity : 65536;
        char *text;
        while (found->used + length + 1 > capacity)
            capacity *= 2;
        text = realloc(found->text, capacity);
        if (text == NULL)
            return -1;
        found->text = text;
        found->capacity = capacity;
    }
    memcpy(found->text + found->used, bytes, length);
    found->used += length;
    found->text[found->used] = '\0';
    return 0;
}

/* Record the file `name` of the directory whose key is `base`. */
static int
add_file(found_t *found, const char *base, size_t base_length,
         const char *name, int64_t size)
{
    size_t start = found->used;
    if (found->count == found->slots) {
        size_t slots = found->slots ? 2 * found->slots : 1024;
        size_t *offsets = realloc(found->offsets, slots * sizeof(size_t));
        int64_t *sizes;
        if (offsets == NULL)
            return -1;
        found->offsets = offsets;
        sizes = realloc(found->sizes, slots * sizeof(int64_t));
        if (sizes == NULL)
            return -1;
        found->sizes = sizes;
        found->slots = slots;
    }
    if (append_text(found, base, base_length) != 0 ||
        append_text(found, name, strlen(name)) != 0)
        return -1;
    found->used++;  /* keep the NUL */
    found->offsets[found->count] = start;
    found->sizes[found->count] = size;
    found->count++;
    return 0;
}

static int
set_error(walk_error_t *failure, int error, const char *base,
          const char *name)
{
    size_t length = strlen(base) + strlen(name) + 1;
    failure->error = error;
    failure->path = malloc(length);
    if (failure->path != NULL)
        snprintf(failure->path, length, "%s%s", base, name);
    return -1;
}

/* Whether an open or stat error means the entry went away (or became
 * something that is not followed): then it is left out, not an error. */
static int
gone(int error)
{
    return error == ENOENT || error == ENOTDIR || error == ELOOP;
}

/* The entries of one directory that may be objects or directories. */
typedef struct {
    found_t names;       /* the names; their offsets in names.offsets */
    unsigned char *types;    /* d_type, then DT_REG/DT_DIR/DT_UNKNOWN */
    int *errors;             /* errno of the entry's stat, or 0 */
} entries_t;

/* Directories with at least this many entries have them looked up on
 * several threads: a stat costs about as much as reading the file's
 * name, and a copy lists every object of its checkpoint at its start. */
#define PARALLEL_ENTRIES 2048
#define MAX_THREADS 4

typedef struct {
    int fd;
    entries_t *entries;
    size_t first, last;
} stat_range_t;

/* Look up the type and size of the entries whose type readdir did not
 * settle (DT_REG, which may have changed since, and DT_UNKNOWN). */
static void *
stat_range(void *argument)
{
    stat_range_t *range = argument;
    entries_t *entries = range->entries;
    size_t i;

    for (i = range->first; i < range->last; i++) {
        struct stat info;
        unsigned char type = entries->types[i];
        if (type != DT_REG && type != DT_UNKNOWN)
            continue;
        if (fstatat(range->fd, entries->names.text +
                    entries->names.offsets[i], &info,
                    AT_SYMLINK_NOFOLLOW) != 0) {
            entries->errors[i] = errno;
            continue;
        }
        entries->names.sizes[i] = (int64_t)info.st_size;
        entries->types[i] = S_ISREG(info.st_mode) ? DT_REG
            : S_ISDIR(info.st_mode) ? DT_DIR : DT_UNKNOWN;
    }
    return NULL;
}

static int
processors(void)
{
    long count = sysconf(_SC_NPROCESSORS_ONLN);
    if (count < 1)
        return 1;
    return count > MAX_THREADS ? MAX_THREADS : (int)count;
}

static void
stat_entries(int fd, entries_t *entries)
{
    size_t count = entries->names.count;
    int threads = count >= PARALLEL_ENTRIES ? processors() : 1;
    stat_range_t ranges[MAX_THREADS];
    pthread_t ids[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    int t;

    for (t = 0; t < threads; t++) {
        ranges[t].fd = fd;
        ranges[t].entries = entries;
        ranges[t].first = count * (size_t)t / (size_t)threads;
        ranges[t].last = count * (size_t)(t + 1) / (size_t)threads;
    }
    /* This thread takes the first range; a thread that cannot start
     * leaves its range to this one. */
    for (t = 1; t < threads; t++)
        started[t] = pthread_create(&ids[t], NULL, stat_range,
                                    &ranges[t]) == 0;
    stat_range(&ranges[0]);
    for (t = 1; t < threads; t++) {
        if (started[t])
            pthread_join(ids[t], NULL);
        else
            stat_range(&ranges[t]);
    }
}

/* Read the names of directory `dir` worth a look into *entries. */
static int
read_entries(DIR *dir, const char *prefix, const char *skip,
             entries_t *entries)
{
    size_t prefix_length = prefix ? strlen(prefix) : 0;
    size_t slots = 0;

    for (;;) {
        struct dirent *entry;
        const char *name;
        errno = 0;
        entry = readdir(dir);
        if (entry == NULL)
            return errno;
        name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
            strstr(name, skip) != NULL ||
            (prefix_length && strncmp(name, prefix, prefix_length) != 0))
            continue;
        if (entry->d_type != DT_REG && entry->d_type != DT_DIR &&
            entry->d_type != DT_UNKNOWN)
            continue;  /* links and other files are not objects */
        if (entries->names.count == slots) {
            unsigned char *types;
            int *errors;
            slots = slots ? 2 * slots : 256;
            types = realloc(entries->types, slots);
            if (types == NULL)
                return ENOMEM;
            entries->types = types;
            errors = realloc(entries->errors, slots * sizeof(int));
            if (errors == NULL)
                return ENOMEM;
            entries->errors = errors;
        }
        entries->types[entries->names.count] = entry->d_type;
        entries->errors[entries->names.count] = 0;
        if (add_file(&entries->names, "", 0, name, 0) != 0)
            return ENOMEM;
    }
}

/*
 * List the directory `name`, relative to `parent_fd` (AT_FDCWD for the
 * start, which may be reached through symbolic links; subdirectories
 * never are). `base` is the key of the directory, ending in '/' (or
 * empty); `prefix`, when not NULL, is what the names listed must start
 * with. Returns 0, or -1 with *failure set (failure->error 0: no memory).
 */
static int
walk(int parent_fd, const char *name, const char *base,
     const char *prefix, const char *skip, found_t *found,
     walk_error_t *failure)
{
    int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    int fd, error, result = 0;
    size_t base_length = strlen(base), i;
    entries_t entries = {{0}, NULL, NULL};
    DIR *dir;

    if (parent_fd != AT_FDCWD)
        flags |= O_NOFOLLOW;
    fd = openat(parent_fd, name, flags);
    if (fd < 0)
        return gone(errno) ? 0 : set_error(failure, errno, base, "");
    dir = fdopendir(fd);
    if (dir == NULL) {
        close(fd);
        return set_error(failure, errno, base, "");
    }
    error = read_entries(dir, prefix, skip, &entries);
    if (error == ENOMEM)
        result = set_error(failure, 0, "", "");
    else if (error != 0)
        result = set_error(failure, error, base, "");
    else
        stat_entries(fd, &entries);
    /* Files first, in the order read; then the subdirectories. */
    for (i = 0; result == 0 && i < entries.names.count; i++) {
        const char *entry = entries.names.text + entries.names.offsets[i];
        if (entries.errors[i] == ENOENT)
            continue;  /* deleted since the directory was read */
        if (entries.errors[i] != 0)
            result = set_error(failure, entries.errors[i], base, entry);
        else if (entries.types[i] == DT_REG &&
                 add_file(found, base, base_length, entry,
                          entries.names.sizes[i]) != 0)
            result = set_error(failure, 0, "", "");
    }
    for (i = 0; result == 0 && i < entries.names.count; i++) {
        const char *entry = entries.names.text + entries.names.offsets[i];
        size_t length;
        char *sub_base;
        if (entries.errors[i] != 0 || entries.types[i] != DT_DIR)
            continue;
        length = base_length + strlen(entry) + 2;
        sub_base = malloc(length);
        if (sub_base == NULL) {
            result = set_error(failure, 0, "", "");
            break;
        }
        snprintf(sub_base, length, "%s%s/", base, entry);
        result = walk(fd, entry, sub_base, NULL, skip, found, failure);
        free(sub_base);
    }
    closedir(dir);
    free(entries.names.text);
    free(entries.names.offsets);
    free(entries.names.sizes);
    free(entries.types);
    free(entries.errors);
    return result;
}

/* A key found and its size, as sorted. */
typedef struct {
    const char *key;
    int64_t size;
} entry_t;

static int
by_key(const void *first, const void *second)
{
    return strcmp(((const entry_t *)first)->key,
                  ((const entry_t *)second)->key);
}

/* The keys in order; NULL when out of memory. */
static entry_t *
sorted_entries(const found_t *found)
{
    entry_t *entries = malloc((found->count + 1) * sizeof(entry_t));
    size_t i;

    if (entries == NULL)
        return NULL;
    for (i = 0; i < found->count; i++) {
        entries[i].key = found->text + found->offsets[i];
        entries[i].size = found->sizes[i];
    }
    qsort(entries, found->count, sizeof(entry_t), by_key);
    return entries;
}

static PyObject *
build_list(const entry_t *entries, size_t count)
{
    PyObject *result = PyList_New((Py_ssize_t)count);
    size_t i;

    if (result == NULL)
        return NULL;
    for (i = 0; i < count; i++) {
        PyObject *item = Py_BuildValue(
            "(NL)", PyUnicode_DecodeFSDefault(entries[i].key),
            (long long)entries[i].size);
        if (item == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyList_SET_ITEM(result, (Py_ssize_t)i, item);
    }
    return result;
}

PyDoc_STRVAR(list_sizes_doc,
"list_sizes(directory, name_prefix, key_base, skip) -> [(key, size)]\n"
"\n"
"Every regular file under ``directory`` (recursively, never following a\n"
"symbolic link below it) whose name does not contain ``skip``; in\n"
"``directory`` itself only names starting with ``name_prefix``. A key\n"
"is ``key_base`` followed by the file's path relative to ``directory``.\n"
"Sorted by the keys' encoded bytes. A missing ``directory`` lists\n"
"nothing; other errors raise OSError.");

static PyObject *
list_sizes(PyObject *module, PyObject *args)
{
    PyObject *directory = NULL, *prefix = NULL, *base = NULL, *skip = NULL;
    PyObject *result = NULL;
    found_t found = {0};
    walk_error_t failure = {0, NULL};
    entry_t *entries = NULL;
    int status;

    if (!PyArg_ParseTuple(args, "O&O&O&O&:list_sizes",
                          PyUnicode_FSConverter, &directory,
                          PyUnicode_FSConverter, &prefix,
                          PyUnicode_FSConverter, &base,
                          PyUnicode_FSConverter, &skip))
        goto done;
    if (PyBytes_GET_SIZE(skip) == 0) {
        PyErr_SetString(PyExc_ValueError, "skip must not be empty");
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    status = walk(AT_FDCWD, PyBytes_AS_STRING(directory),
                  PyBytes_AS_STRING(base), PyBytes_AS_STRING(prefix),
                  PyBytes_AS_STRING(skip), &found, &failure);
    if (status == 0)
        entries = sorted_entries(&found);
    Py_END_ALLOW_THREADS
    if (status != 0 && failure.error != 0) {
        errno = failure.error;
        PyErr_SetFromErrnoWithFilename(PyExc_OSError, failure.path);
        goto done;
    }
    if (entries == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    result = build_list(entries, found.count);

done:
    free(entries);
    free(found.text);
    free(found.offsets);
    free(found.sizes);
    free(failure.path);
    Py_XDECREF(directory);
    Py_XDECREF(prefix);
    Py_XDECREF(base);
    Py_XDECREF(skip);
    return result;
}

static PyMethodDef fslist_methods[] = {
    {"list_sizes", list_sizes, METH_VARARGS, list_sizes_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef fslist_module = {
    PyModuleDef_HEAD_INIT,
    "_fslist",
    "The keys and sizes of the files under a directory, outside the GIL.",
    -1,
    fslist_methods,
};

PyMODINIT_FUNC
PyInit__fslist(void)
{
    return PyModule_Create(&fslist_module);
}
