#pragma once

#include <QHeaderView>

namespace mmv::ui {

/// Widens every column of `header` that is narrower than its title (translations are often
/// longer than the English widths a view starts with). Call once the model is set.
inline void fitColumnTitles(QHeaderView *header)
{
    for (int section = 0; section < header->count(); ++section) {
        const int needed = header->sectionSizeHint(section);
        if (header->sectionSize(section) < needed)
            header->resizeSection(section, needed);
    }
}

} // namespace mmv::ui
