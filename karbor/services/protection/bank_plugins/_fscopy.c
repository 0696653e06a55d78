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
 * Verified copies of many small files, outside the GIL.
 *
 * The file-system bank's batch copy (put_copy_objects_from_paths) calls
 * copy_files() with a list of small objects. Copying a 16 KiB object in
 * Python costs about three times what cp(1) spends on it, in the
 * interpreter, not in the system calls; here each object costs the same
 * system calls and two XXH3-128 digests, and the GIL is released for the
 * whole batch so that the mover's threads copy batches side by side.
 *
 * What each object goes through is what the Python path does: the source
 * is opened without following a symbolic link and must be a regular file
 * of the expected size; the destination is created afresh (O_EXCL, a file
 * already there is unlinked first, never written through), written,
 * optionally fsync'ed, and read back through the descriptor that wrote
 * it, so its digest is of what the file system now holds. A destination
 * that could not be completed is unlinked.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "_fscopy_hash.h"

typedef XXH128_hash_t (*hash_function_t)(const void *, size_t);

static XXH128_hash_t
portable_hash(const void *data, size_t length)
{
    return XXH3_128bits(data, length);
}

/* The XXH3-128 of this build (SSE2 on x86-64), or of _fscopy_avx2.c
 * where the CPU has AVX2; set once, when the module is loaded. */
static hash_function_t hash128 = portable_hash;

static void
hash_for_this_cpu(void)
{
#ifdef KARBOR_HAVE_AVX2_HASH
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2"))
        hash128 = karbor_xxh3_128_avx2;
#endif
}

/* Where an object's copy stopped; reported to Python as a string. */
typedef enum {
    STAGE_NONE = 0,
    STAGE_OPEN_SOURCE,
    STAGE_READ_SOURCE,
    STAGE_SOURCE_SIZE,
    STAGE_CREATE,
    STAGE_WRITE,
    STAGE_FSYNC,
    STAGE_READ_BACK,
    STAGE_STORED_SIZE,
} stage_t;

static const char *const STAGE_NAMES[] = {
    "", "open source", "read source", "source size", "create", "write",
    "fsync", "read back", "stored size",
};

typedef struct {
    const char *source;
    const char *destination;
    Py_ssize_t size;
} item_t;

typedef struct {
    XXH128_hash_t source_digest;
    XXH128_hash_t stored_digest;
} digests_t;

typedef struct {
    stage_t stage;
    int error;            /* errno, 0 for a size mismatch */
    Py_ssize_t actual;    /* the size found, for a size mismatch */
} failure_t;

/* Read a file expected to hold `size` bytes into `buffer` (of size + 1
 * bytes), at `offset` (or from the file position when offset < 0);
 * returns the count, at most size + 1, or -1 with errno on error.
 * A read short of the byte asked beyond `size` has seen the end, as
 * the Python path assumes: no read is made only to return nothing. */
static Py_ssize_t
read_file(int fd, char *buffer, Py_ssize_t size, off_t offset)
{
    Py_ssize_t want = size + 1, done = 0;
    while (done < want) {
        size_t ask = (size_t)(want - done);
        ssize_t n = offset < 0
            ? read(fd, buffer + done, ask)
            : pread(fd, buffer + done, ask, offset + done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            break;
        done += n;
        if ((size_t)n < ask && done == size)
            break;
    }
    return done;
}

static int
write_all(int fd, const char *buffer, Py_ssize_t size)
{
    Py_ssize_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, buffer + done, (size_t)(size - done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        done += n;
    }
    return 0;
}

static int
create_afresh(const char *path)
{
    int flags = O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    int fd = open(path, flags, 0666);
    if (fd < 0 && errno == EEXIST) {
        /* Unlinked, not truncated: it may be a link to other data. */
        if (unlink(path) == 0 || errno == ENOENT)
            fd = open(path, flags, 0666);
    }
    return fd;
}

/* Copy one object; 0 on success, -1 with *failure filled in. Buffers
 * hold size + 1 bytes: asking for one byte more than expected sees the
 * end of the file without another read. */
static int
copy_one(const item_t *item, int do_fsync, char *data, char *back,
         digests_t *digests, failure_t *failure)
{
    struct stat info;
    Py_ssize_t got;
    int in, out;

    in = open(item->source, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0) {
        failure->stage = STAGE_OPEN_SOURCE;
        failure->error = errno;
        return -1;
    }
    if (fstat(in, &info) != 0) {
        failure->stage = STAGE_OPEN_SOURCE;
        failure->error = errno;
        close(in);
        return -1;
    }
    if (!S_ISREG(info.st_mode)) {
        /* Not an object: listings show regular files only. */
        failure->stage = STAGE_OPEN_SOURCE;
        failure->error = ENOENT;
        close(in);
        return -1;
    }
    got = read_file(in, data, item->size, -1);
    failure->error = errno;
    close(in);
    if (got < 0) {
        failure->stage = STAGE_READ_SOURCE;
        return -1;
    }
    if (got != item->size) {
        failure->stage = STAGE_SOURCE_SIZE;
        failure->error = 0;
        failure->actual = got;
        return -1;
    }
    digests->source_digest = hash128(data, (size_t)got);

    out = create_afresh(item->destination);
    if (out < 0) {
        failure->stage = STAGE_CREATE;
        failure->error = errno;
        return -1;
    }
    if (write_all(out, data, got) != 0) {
        failure->stage = STAGE_WRITE;
        goto fail_out;
    }
    if (do_fsync && fsync(out) != 0) {
        failure->stage = STAGE_FSYNC;
        goto fail_out;
    }
    got = read_file(out, back, item->size, 0);
    if (got < 0) {
        failure->stage = STAGE_READ_BACK;
        goto fail_out;
    }
    if (got != item->size) {
        failure->stage = STAGE_STORED_SIZE;
        failure->actual = got;
        errno = 0;
        goto fail_out;
    }
    if (close(out) != 0) {
        failure->stage = STAGE_WRITE;
        failure->error = errno;
        unlink(item->destination);
        return -1;
    }
    digests->stored_digest = hash128(back, (size_t)got);
    return 0;

fail_out:
    failure->error = errno;
    close(out);
    /* Nothing a later run could take for a whole object. */
    unlink(item->destination);
    return -1;
}

static PyObject *
hex_digest(XXH128_hash_t hash)
{
    /* The canonical (big-endian) form: what xxhash.xxh3_128's
     * hexdigest() gives, so digests compare with the Python path's. */
    XXH128_canonical_t canonical;
    static const char HEX[] = "0123456789abcdef";
    char text[2 * sizeof(canonical.digest)];
    size_t i;

    XXH128_canonicalFromHash(&canonical, hash);
    for (i = 0; i < sizeof(canonical.digest); i++) {
        text[2 * i] = HEX[canonical.digest[i] >> 4];
        text[2 * i + 1] = HEX[canonical.digest[i] & 0x0f];
    }
    return PyUnicode_FromStringAndSize(text, sizeof(text));
}

/* Convert the Python items; returns the number converted, -1 on error.
 * `paths` keeps the bytes objects the item_t point into. */
static Py_ssize_t
convert_items(PyObject *seq, item_t *items, PyObject **paths,
              Py_ssize_t *largest)
{
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    Py_ssize_t i;

    *largest = 0;
    for (i = 0; i < count; i++) {
        PyObject *entry = PySequence_Fast_GET_ITEM(seq, i);
        PyObject *source = NULL, *destination = NULL;
        Py_ssize_t size;

        if (!PyArg_ParseTuple(entry, "O&O&n;an item is (source path, "
                              "destination path, size)",
                              PyUnicode_FSConverter, &source,
                              PyUnicode_FSConverter, &destination, &size)) {
            Py_XDECREF(source);
            return -1;
        }
        paths[2 * i] = source;
        paths[2 * i + 1] = destination;
        if (size < 0 || size > PY_SSIZE_T_MAX / 2 - 1) {
            PyErr_SetString(PyExc_ValueError, "bad object size");
            return -1;
        }
        items[i].source = PyBytes_AS_STRING(source);
        items[i].destination = PyBytes_AS_STRING(destination);
        items[i].size = size;
        if (size > *largest)
            *largest = size;
    }
    return count;
}

static PyObject *
build_result(const digests_t *digests, Py_ssize_t done,
             const failure_t *failure)
{
    PyObject *copied = PyList_New(done);
    PyObject *error;
    Py_ssize_t i;

    if (copied == NULL)
        return NULL;
    for (i = 0; i < done; i++) {
        PyObject *pair = PyTuple_New(2);
        PyObject *source, *stored;
        if (pair == NULL)
            goto fail;
        PyList_SET_ITEM(copied, i, pair);
        source = hex_digest(digests[i].source_digest);
        if (source == NULL)
            goto fail;
        PyTuple_SET_ITEM(pair, 0, source);
        stored = hex_digest(digests[i].stored_digest);
        if (stored == NULL)
            goto fail;
        PyTuple_SET_ITEM(pair, 1, stored);
    }
    if (failure->stage == STAGE_NONE) {
        error = Py_NewRef(Py_None);
    } else {
        error = Py_BuildValue("(sin)", STAGE_NAMES[failure->stage],
                              failure->error, failure->actual);
        if (error == NULL)
            goto fail;
    }
    return Py_BuildValue("(NN)", copied, error);

fail:
    Py_DECREF(copied);
    return NULL;
}

PyDoc_STRVAR(copy_files_doc,
"copy_files(items, fsync=False) -> (digests, failure)\n"
"\n"
"Copy each (source path, destination path, size) of ``items`` in turn,\n"
"stopping at the first that fails. ``digests`` has a (source digest,\n"
"stored digest) pair of XXH3-128 hex digests for each object copied;\n"
"``failure`` is None, or (stage, errno, size found) for the object after\n"
"them, which was not copied. errno is 0 for a size that is not the one\n"
"expected. The destination's directory must exist.");

static PyObject *
copy_files(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"items", "fsync", NULL};
    PyObject *given, *seq, **paths = NULL, *result = NULL;
    item_t *items = NULL;
    digests_t *digests = NULL;
    char *data = NULL, *back = NULL;
    failure_t failure = {STAGE_NONE, 0, 0};
    Py_ssize_t count, largest, done = 0, i;
    int do_fsync = 0;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|p:copy_files",
                                     keywords, &given, &do_fsync))
        return NULL;
    seq = PySequence_Fast(given, "items must be a sequence");
    if (seq == NULL)
        return NULL;
    count = PySequence_Fast_GET_SIZE(seq);
    items = PyMem_Calloc((size_t)count + 1, sizeof(item_t));
    digests = PyMem_Calloc((size_t)count + 1, sizeof(digests_t));
    paths = PyMem_Calloc(2 * (size_t)count + 1, sizeof(PyObject *));
    if (items == NULL || digests == NULL || paths == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (convert_items(seq, items, paths, &largest) < 0)
        goto done;
    data = PyMem_RawMalloc((size_t)largest + 1);
    back = PyMem_RawMalloc((size_t)largest + 1);
    if (data == NULL || back == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    for (done = 0; done < count; done++) {
        if (copy_one(&items[done], do_fsync, data, back, &digests[done],
                     &failure) != 0)
            break;
    }
    Py_END_ALLOW_THREADS
    result = build_result(digests, done, &failure);

done:
    PyMem_RawFree(data);
    PyMem_RawFree(back);
    if (paths != NULL) {
        for (i = 0; i < 2 * count; i++)
            Py_XDECREF(paths[i]);
    }
    PyMem_Free(paths);
    PyMem_Free(digests);
    PyMem_Free(items);
    Py_DECREF(seq);
    return result;
}

static PyMethodDef fscopy_methods[] = {
    {"copy_files", (PyCFunction)(void (*)(void))copy_files,
     METH_VARARGS | METH_KEYWORDS, copy_files_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef fscopy_module = {
    PyModuleDef_HEAD_INIT,
    "_fscopy",
    "Verified copies of many small files, outside the GIL.",
    -1,
    fscopy_methods,
};

PyMODINIT_FUNC
PyInit__fscopy(void)
{
    hash_for_this_cpu();
    return PyModule_Create(&fscopy_module);
}
