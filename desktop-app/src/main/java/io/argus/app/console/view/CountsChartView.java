package io.argus.app.console.view;

import io.argus.app.console.model.CountsChartModel;
import io.argus.app.console.model.CountsRange;
import javafx.collections.ListChangeListener;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.controlsfx.control.SegmentedButton;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Detail's counts chart: the range buttons, where the figures come from, a line per line direction
 * and zone entry or exit with a point per bucket, and the cumulative totals underneath. Draws what
 * {@link CountsChartModel} holds and hands it the operator's range; decides nothing itself.
 */
final class CountsChartView extends VBox {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final CountsChartModel model;
    private final NumberAxis time = new NumberAxis();
    private final LineChart<Number, Number> chart;

    CountsChartView(CountsChartModel model) {
        super(4);
        this.model = model;
        setPadding(new javafx.geometry.Insets(4, 6, 4, 6));
        time.setAutoRanging(false);
        time.setMinorTickVisible(false);
        time.setLabel("bucket start");
        time.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number ms) {
                DateTimeFormatter f = model.rangeProperty().get() == CountsRange.LAST_5_MIN ? SECONDS : MINUTES;
                return f.format(Instant.ofEpochMilli(ms.longValue()));
            }

            @Override
            public Number fromString(String s) {
                throw new UnsupportedOperationException("the time axis is not edited");
            }
        });
        NumberAxis count = new NumberAxis();
        count.setLabel("per bucket");
        count.setForceZeroInRange(true);
        count.setMinorTickVisible(false);
        chart = new LineChart<>(time, count);
        chart.setId("counts-chart");
        chart.setAnimated(false);
        chart.setCreateSymbols(true);
        chart.setPrefHeight(240);
        chart.titleProperty().bind(model.titleProperty());
        Label totals = new Label();
        totals.setId("counts-totals");
        totals.textProperty().bind(model.totalsProperty());
        getChildren().addAll(rangeButtons(), chart, totals);
        VBox.setVgrow(chart, Priority.ALWAYS);
        model.series().addListener((ListChangeListener<CountsChartModel.Series>) c -> redraw());
        model.startMsProperty().addListener((o, a, b) -> axis());
        model.endMsProperty().addListener((o, a, b) -> axis());
        redraw();
    }

    private HBox rangeButtons() {
        List<ToggleButton> buttons = new ArrayList<>();
        for (CountsRange r : CountsRange.values()) {
            ToggleButton b = new ToggleButton(r.label());
            b.setId("counts-range-" + r.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            b.setUserData(r);
            b.setSelected(r == model.rangeProperty().get());
            buttons.add(b);
        }
        SegmentedButton seg = new SegmentedButton(buttons.toArray(ToggleButton[]::new));
        seg.getToggleGroup().selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                was.setSelected(true); // one range is always shown: a click on the selected one keeps it
            } else {
                model.setRange((CountsRange) now.getUserData());
            }
        });
        Label hint = new Label("crossings and zone entries/exits per bucket");
        HBox bar = new HBox(8, seg, hint);
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return bar;
    }

    /** The window from the model; a tick every minute, 10 minutes or 3 hours, from the first bucket on. */
    private void axis() {
        long start = model.startMsProperty().get();
        long end = model.endMsProperty().get();
        // epoch milliseconds are far below 2^53: exact as doubles
        time.setLowerBound((double) start);
        time.setUpperBound((double) end);
        time.setTickUnit(switch (model.rangeProperty().get()) {
            case LAST_5_MIN -> 60_000;
            case LAST_HOUR -> 600_000;
            case LAST_DAY -> 3 * 3_600_000;
        });
    }

    private void redraw() {
        axis();
        List<XYChart.Series<Number, Number>> all = new ArrayList<>();
        for (CountsChartModel.Series s : model.series()) {
            XYChart.Series<Number, Number> line = new XYChart.Series<>();
            line.setName(s.name());
            for (CountsChartModel.Point p : s.points()) {
                XYChart.Data<Number, Number> d = new XYChart.Data<>(p.startMs(), p.count());
                if (p.count() == 0) {
                    // a mark only where something was counted: 96 marks on the zero line hide the lines
                    Region none = new Region();
                    none.setVisible(false);
                    d.setNode(none);
                }
                line.getData().add(d);
            }
            all.add(line);
        }
        chart.getData().setAll(all);
    }

    LineChart<Number, Number> chart() {
        return chart;
    }
}
