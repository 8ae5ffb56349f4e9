import { useFormatDate } from '../format/dates';

/** A date-time in the chosen language and calendar, machine-readable in `dateTime`. */
export function DateTime({ value, withTime = true }: { value: string | null | undefined; withTime?: boolean }) {
  const format = useFormatDate();
  if (!value) return null;
  return <time dateTime={value}>{format(value, withTime)}</time>;
}
