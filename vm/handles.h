/* vm/handles.h: local and global handles of the embedding API (vm/handles.c). */
#ifndef MICA_VM_HANDLES_H
#define MICA_VM_HANDLES_H

#include "api.h"

/* A new local handle for [o] (0 for NULL) in the current scope. 0, or -1 out of memory. */
int vm_handle_local(MicaVM *vm, VmObject *o, MicaRef *out);
/* A new global handle for [o] (0 for NULL). 0, or -1 out of memory. */
int vm_handle_global(MicaVM *vm, VmObject *o, MicaRef *out);
/* The object of handle [h] (NULL for 0). -1 for a stale, released or foreign handle. */
int vm_handle_get(MicaVM *vm, MicaRef h, VmObject **out);
/* Releases global handle [h]; -1 if it is not a live global handle. */
int vm_handle_unref(MicaVM *vm, MicaRef h);
/* Releases local handles above [mark] (a scope's start). */
void vm_handle_release_to(MicaVM *vm, size_t mark);
/* Frees the handle tables. */
void vm_handles_free(VmApi *a);

#endif
