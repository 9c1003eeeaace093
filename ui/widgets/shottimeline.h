#pragma once

#include <QPointer>
#include <QWidget>

namespace mmv::ui {

class ShotModel;

/// The shots of a video on a time line: one block per shot, proportional to its length,
/// with a marker when faces or people were seen in it, and the analysed part so far.
class ShotTimeline : public QWidget
{
    Q_OBJECT

public:
    explicit ShotTimeline(QWidget *parent = nullptr);

    void setModel(ShotModel *model);
    void setDuration(double seconds);
    void setProgress(double fraction);
    /// The shot row under a position, or -1.
    int rowAt(const QPoint &position) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void shotClicked(int row);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    QRectF blockRect(int row) const;
    double effectiveDuration() const;

    QPointer<ShotModel> m_model;
    double m_duration = 0;
    double m_progress = -1;
};

} // namespace mmv::ui
