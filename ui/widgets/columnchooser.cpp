#include "columnchooser.h"

#include <QAbstractItemModel>
#include <QHeaderView>
#include <QMenu>
#include <QSettings>

namespace mmv::ui {

ColumnChooser::ColumnChooser(QHeaderView *header, const QString &settingsKey,
                             const QList<int> &defaultHidden)
    : QObject(header)
    , m_header(header)
    , m_key(settingsKey)
    , m_defaultHidden(defaultHidden)
{
    const QSettings settings;
    QList<int> hidden = defaultHidden;
    if (settings.contains(m_key)) {
        hidden.clear();
        for (const QVariant &column : settings.value(m_key).toList())
            hidden << column.toInt();
    }
    apply(hidden);
    m_header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_header, &QWidget::customContextMenuRequested, this,
            [this](const QPoint &at) { menu()->popup(m_header->viewport()->mapToGlobal(at)); });
}

QMenu *ColumnChooser::menu()
{
    if (!m_menu) {
        m_menu = new QMenu(m_header);
        m_menu->setObjectName(QStringLiteral("columnMenu"));
    }
    m_menu->clear();
    const QAbstractItemModel *model = m_header->model();
    int visible = 0;
    for (int column = 0; column < m_header->count(); ++column)
        visible += m_header->isSectionHidden(column) ? 0 : 1;
    for (int column = 0; model && column < m_header->count(); ++column) {
        QAction *action = m_menu->addAction(model->headerData(column, Qt::Horizontal).toString());
        action->setCheckable(true);
        const bool shown = !m_header->isSectionHidden(column);
        action->setChecked(shown);
        action->setEnabled(!shown || visible > 1);
        connect(action, &QAction::toggled, this,
                [this, column](bool checked) { setColumnVisible(column, checked); });
    }
    m_menu->addSeparator();
    connect(m_menu->addAction(tr("Default Columns")), &QAction::triggered, this,
            &ColumnChooser::restoreDefaults);
    return m_menu;
}

void ColumnChooser::setColumnVisible(int column, bool visible)
{
    if (column < 0 || column >= m_header->count())
        return;
    if (!visible) {
        int shown = 0;
        for (int c = 0; c < m_header->count(); ++c)
            shown += m_header->isSectionHidden(c) ? 0 : 1;
        if (shown <= 1)
            return;
    }
    m_header->setSectionHidden(column, !visible);
    save();
}

void ColumnChooser::restoreDefaults()
{
    apply(m_defaultHidden);
    QSettings().remove(m_key);
}

void ColumnChooser::apply(const QList<int> &hidden)
{
    int shown = 0;
    for (int column = 0; column < m_header->count(); ++column) {
        m_header->setSectionHidden(column, hidden.contains(column));
        shown += hidden.contains(column) ? 0 : 1;
    }
    if (shown == 0 && m_header->count() > 0) // a damaged setting: keep the first
        m_header->setSectionHidden(0, false);
}

void ColumnChooser::save() const
{
    QVariantList hidden;
    for (int column = 0; column < m_header->count(); ++column) {
        if (m_header->isSectionHidden(column))
            hidden << column;
    }
    QSettings().setValue(m_key, hidden);
}

} // namespace mmv::ui
