/** One checkbox per option, in a grid, as a labelled group; `checked` and `onChange` speak in option values. */
export function CheckList(props: {
  id: string;
  describedBy: string;
  disabled: boolean;
  options: ReadonlyArray<{ value: string; label: string; title?: string }>;
  checked(value: string): boolean;
  onChange(value: string, checked: boolean): void;
}) {
  return (
    <div className="check-grid" id={props.id} role="group" aria-labelledby={`${props.id}-label`} aria-describedby={props.describedBy}>
      {props.options.map((option) => (
        <label key={option.value} className="check" title={option.title}>
          <input type="checkbox" checked={props.checked(option.value)} disabled={props.disabled} onChange={(event) => props.onChange(option.value, event.target.checked)} />
          {option.label}
        </label>
      ))}
    </div>
  );
}
