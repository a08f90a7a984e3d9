/* compiler/warn.c: warnings (reported only when asked for, see CcOptions):
 * unused locals, unused parameters of private functions, locals that hide a
 * field or constant, and unused imports. */
#include <string.h>

#include "gen.h"

void g_warn_unused(Gen *g, Local *l)
{
    if (!l->name || l->used || l->warn == WARN_NONE || l->name[0] == '_' ||
        l->name[0] == '$')
        return;
    if (l->warn == WARN_PARAM)
        cc_warning(g->cc, g->f, l->pos, "unused parameter '%s' of private function '%s'",
                   l->name, g->mi ? g->mi->name : "?");
    else
        cc_warning(g->cc, g->f, l->pos, "unused variable '%s'", l->name);
    cc_help(g->cc, "remove it, or start its name with '_' to keep it");
}

void g_warn_shadow(Gen *g, Local *l, FieldInfo *fi)
{
    if (l->name[0] == '_')
        return;
    bool constant = fi->owner->file && fi->owner->file->module == fi->owner &&
                    fi->decl && (fi->flags & CF_ACC_STATIC) && !fi->owner->decl;
    cc_warning(g->cc, g->f, l->pos, "local '%s' hides %s '%s'", l->name,
               constant ? "constant" : "field", fi->name);
    if (fi->decl && fi->owner->file)
        cc_note(g->cc, fi->owner->file, fi->decl->pos, "%s declared here",
                constant ? "the constant is" : "the field is");
}

void cc_warn_unused_imports(Cc *cc)
{
    for (int i = 0; i < cc->nfiles; i++) {
        SourceFile *f = cc->files[i];
        for (int k = 0; k < f->nimports; k++) {
            Import *im = &f->imports[k];
            if (im->used)
                continue;
            cc_warning(cc, f, im->pos, "unused import '%s%s'", im->name,
                       im->wildcard ? ".*" : "");
        }
    }
}
