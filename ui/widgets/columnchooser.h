#pragma once

#include <QList>
#include <QObject>
#include <QString>

class QHeaderView;
class QMenu;

namespace mmv::ui {

/// Lets the operator hide and show the columns of a table from its header's context menu (a
/// checkable entry per column, and "Default Columns"). The choice is kept in QSettings under
/// `settingsKey`; until there is one, `defaultHidden` (logical column numbers) are hidden. The
/// last visible column cannot be hidden.
class ColumnChooser : public QObject
{
    Q_OBJECT

public:
    ColumnChooser(QHeaderView *header, const QString &settingsKey, const QList<int> &defaultHidden);

    /// The menu the header shows, filled for the columns as they are now.
    QMenu *menu();
    void setColumnVisible(int column, bool visible);
    void restoreDefaults();

private:
    void apply(const QList<int> &hidden);
    void save() const;

    QHeaderView *m_header;
    QString m_key;
    QList<int> m_defaultHidden;
    QMenu *m_menu = nullptr;
};

} // namespace mmv::ui
